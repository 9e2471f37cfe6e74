/**
 * The randomness of a randomised test, replayable: the seed comes from the environment variable `name` (or the clock)
 * and is printed, so a failure's cases run again with `name=<seed>`. mulberry32: small, deterministic per seed.
 */
export function seededRandom(name: string, label: string) {
  const given = process.env[name];
  const seed = given === undefined ? Date.now() % 100_000 : Number(given);
  if (!Number.isSafeInteger(seed)) throw new Error(`${name}=${given} : un entier est attendu.`);
  console.log(`${label} seed: ${seed} (${name}=${seed} to replay)`);
  let calls = 0;
  const random = () => {
    let t = (seed + calls++ * 0x6d2b79f5) >>> 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  /** An integer from 0 to `max`, both included. */
  const upTo = (max: number) => Math.floor(random() * (max + 1));
  return { seed, random, pick, upTo };
}
