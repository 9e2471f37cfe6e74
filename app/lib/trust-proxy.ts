/**
 * TRUST_PROXY as express's "trust proxy" setting expects it. express reads a string as addresses or subnets, so the
 * README's `TRUST_PROXY=1` (one proxy in front) must become the number 1, else express trusts an "IP" named "1":
 * no `Secure` cookie, and every user seen with the proxy's address (one login throttle for everyone).
 * - a whole number: how many proxies in front (hops), e.g. `1`;
 * - `true` / `false`;
 * - otherwise a comma-separated list of addresses, subnets or express's names (`loopback`, `uniquelocal`…).
 */
export function trustProxySetting(value: string | undefined): number | boolean | string[] | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  if (text === "true") return true;
  if (text === "false") return false;
  return text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}
