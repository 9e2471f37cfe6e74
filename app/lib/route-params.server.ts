import { z } from "zod";
import { yearQuerySchema } from "./avenant-validation";
import { httpError, notFound } from "./http.server";
import { fieldErrors } from "./validation";

const uuid = z.uuid();

/** Whether an id is a UUID at all (a model answers "not found" for anything else, never a database error). */
export const isUuid = (value: string) => uuid.safeParse(value).success;

/** A URL id that is not even a UUID answers 404 like a missing or foreign one (never a 500 from the database). */
export function uuidParam(value: string | undefined, what?: string): string {
  const parsed = uuid.safeParse(value);
  if (!parsed.success) throw notFound(what);
  return parsed.data;
}

/**
 * `?year=` of a URL (400 with a French message when it is not a year); `formerName` is the French name pages took
 * before decision 0024 (`annee`), still read so that links already mailed show the same page.
 */
export function yearQuery(url: string, formerName?: string): number | undefined {
  const params = new URL(url).searchParams;
  const raw = params.get("year") || (formerName && params.get(formerName)) || undefined;
  const parsed = yearQuerySchema.safeParse({ year: raw });
  if (parsed.success) return parsed.data.year;
  const errors = fieldErrors(parsed.error);
  throw httpError(400, Object.values(errors).join(" "), { errors });
}

/**
 * The portal's public address, for the links in e-mails and feeds: `PUBLIC_URL`, never a request's Host or
 * X-Forwarded-Host (a reset asked with `Host: evil.example` would mail a link to evil.example). Without it, the
 * embedded database (a workstation) uses `http://localhost:<PORT>`; a PostgreSQL deployment must set it, and the server
 * refuses to start without it (`server.js` calls this first).
 */
export function publicUrl(): string {
  const configured = process.env.PUBLIC_URL?.trim();
  if (!configured) {
    if (process.env.DATABASE_URL)
      throw new Error(
        "PUBLIC_URL manque : sur PostgreSQL, donnez l'adresse publique du portail (ex. PUBLIC_URL=https://flux.lillemetropole.fr), qui sert aux liens des courriels.",
      );
    return `http://localhost:${process.env.PORT || 3000}`;
  }
  const url = URL.canParse(configured) ? new URL(configured) : undefined;
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:"))
    throw new Error(
      `PUBLIC_URL invalide (« ${configured} ») : une adresse http(s), ex. https://flux.lillemetropole.fr.`,
    );
  return url.href.replace(/\/+$/, "");
}
