import type { z } from "zod";
import { httpError } from "~/lib/http.server";
import { fieldErrors } from "~/lib/validation";

/**
 * Reads a JSON body and parses it with a zod schema; anything else answers 400 `{ message, errors }` in French.
 * With `optional`, an empty body counts as `{}`.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  optional = false,
): Promise<z.output<S>> {
  const text = await request.text();
  let raw: unknown = {};
  if (text.trim() !== "" || !optional) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw httpError(400, "Corps de requête illisible : envoyez un objet JSON.", { errors: {} });
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw httpError(400, "Requête invalide : corrigez les champs indiqués.", {
      errors: fieldErrors(parsed.error),
    });
  return parsed.data;
}
