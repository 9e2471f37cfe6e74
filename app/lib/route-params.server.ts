import { z } from "zod";
import { notFound } from "./http.server";

const uuid = z.uuid();

/** Whether an id is a UUID at all (a model answers "not found" for anything else, never a database error). */
export const isUuid = (value: string) => uuid.safeParse(value).success;

/** A URL id that is not even a UUID answers 404 like a missing or foreign one (never a 500 from the database). */
export function uuidParam(value: string | undefined, what?: string): string {
  const parsed = uuid.safeParse(value);
  if (!parsed.success) throw notFound(what);
  return parsed.data;
}

/** The site's own origin, for the links in e-mails. */
export function baseUrlOf(request: Request): string {
  return process.env.PUBLIC_URL ?? new URL(request.url).origin;
}
