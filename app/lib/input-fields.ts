import { z } from "zod";
import { isIsoDay } from "./dates";

/**
 * The one check of every date and whole number a user or a program sends (forms, API bodies, imports), before the
 * database sees it: an impossible day or a number beyond the database's `integer` gets a French message naming the
 * field, never a database error (500).
 */

/** The largest value of PostgreSQL's `integer` (int4), the type of every counted column. */
export const INT4_MAX = 2_147_483_647;

/** A whole number the database's `integer` holds (negative ones too: callers add their own minimum). */
export const isInt4 = (value: unknown): value is number =>
  typeof value === "number" && Number.isInteger(value) && Math.abs(value) <= INT4_MAX;

export const TOO_LARGE = "Nombre trop grand (2 147 483 647 au plus).";

/**
 * A whole number within the database's `integer`; `message` says what is expected, whatever is wrong. With `coerce`,
 * a form's text is read as a number first (« 12 » is 12, « douze » gets `message`).
 */
export const int4 = (message: string, options: { coerce?: boolean } = {}) =>
  (options.coerce ? z.coerce.number({ error: message }) : z.number({ error: message }))
    .int({ error: message })
    .min(-INT4_MAX, { error: `${TOO_LARGE} ${message}` })
    .max(INT4_MAX, { error: `${TOO_LARGE} ${message}` });

/** A day written YYYY-MM-DD that exists; `message` says how to write it (2026-02-30 gets it too). */
export const isoDayField = (message: string) =>
  z
    .string({ error: message })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: message })
    .refine(isIsoDay, { error: `Ce jour n'existe pas au calendrier. ${message}` });

/** A page cursor that is a row's id (`?avant=123`): a positive whole number, else none (the first page). */
export function idCursor(value: string | null): number | undefined {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
