import type { FieldErrors } from "./validation";

/**
 * Why a business step refused, independent of HTTP: the models throw it, and the layer above them (the API wrapper,
 * the pages' `attempt`, `withHttpErrors`) maps it to a status once, in app/lib/http.server.ts. `invalid`: the input is
 * wrong in itself; `unprocessable`: a well-formed input that the recorded data refuse (a rate breaking a ceiling
 * given the other rates signed). Both carry the per-field errors. `gone`: the thing was there and is no more (an
 * anonymised signalement; a single-use link already used, revoked or expired); `too_large`: an upload over its limit.
 * `details` are further fields of the answer that are not per-field errors (a file's rejected rows and their count).
 * A `forbidden` may name what was refused (`required`), for the 403 page to say who may do it.
 */
export type DomainErrorKind =
  | "invalid"
  | "unprocessable"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "too_large";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly errors: FieldErrors = {},
    readonly details: Record<string, unknown> = {},
    readonly required?: { action: string; subject: string },
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Another organisation's resource is not told apart from a missing one. */
export const notFoundError = (what = "Cette ressource") =>
  new DomainError("not_found", `${what} est introuvable, ou vous n'y avez pas accès.`);
