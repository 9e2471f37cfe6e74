import { createHash, randomBytes } from "node:crypto";

/** A random token for e-mailed links and API tokens; only its hash is stored. */
export function generateToken(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
