import { isDeepStrictEqual } from "node:util";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { isConnectionLost } from "#db/client.server";
import { type Actor, requireApiActor } from "~/lib/actor.server";
import { verifyCsrf } from "~/lib/csrf.server";
import { asHttpError, databaseUnavailable, httpError } from "~/lib/http.server";

type Args = LoaderFunctionArgs | ActionFunctionArgs;

/**
 * Every /api/v1 handler: authenticates (bearer token or session cookie), refuses writes to read-only tokens, checks
 * CSRF on cookie-authenticated writes (X-CSRF-Token header), answers JSON, and turns any unexpected error into a French
 * 500 without details (a lost database connection: 503). `outputs` is the route's declaration of its JSON answers
 * (its `outputs` export), which tests hold the answers to.
 */
export function apiHandler(handler: (actor: Actor, args: Args) => Promise<unknown>, outputs: ApiOutputs) {
  const answer = async (args: Args): Promise<Response> => {
    try {
      const actor = await requireApiActor(args.request, args.context);
      const writes = args.request.method !== "GET" && args.request.method !== "HEAD";
      if (writes && actor.tokenScope === "read")
        throw httpError(
          403,
          "Ce jeton d'API est en lecture seule : créez dans « Mon compte » un jeton « lecture et écriture » pour modifier des données.",
        );
      if (actor.via === "session" && writes)
        await verifyCsrf(args.request, args.request.headers.get("x-csrf-token"));
      const body = await handler(actor, args);
      return body instanceof Response ? body : Response.json(body);
    } catch (thrown) {
      const error = asHttpError(thrown);
      if (error instanceof Response) return error;
      if (isConnectionLost(error)) return databaseUnavailable();
      console.error(error);
      return httpError(
        500,
        "Erreur interne : la demande n'a pas abouti et rien n'a été modifié. Réessayez plus tard.",
      );
    }
  };
  // Tests only (vitest sets VITEST): every success answer of every API test is checked against what the route
  // declares, so the OpenAPI document, generated from the same schemas, cannot drift from the real answers.
  if (!process.env.VITEST) return answer;
  return async (args: Args) => checkedAnswer(args.request, await answer(args), outputs);
}

/** The methods an API route module answers (its `methods` export, which the OpenAPI document describes). */
export type ApiMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * What a route's methods read (its `inputs` export): the zod schema each parses its JSON body or its query string with.
 * The OpenAPI document describes the same schemas, and tests/api-routes.test.ts holds the two equal.
 */
export type ApiInputs = Partial<Record<ApiMethod, { body?: z.ZodType; query?: z.ZodType }>>;

/**
 * What a route's methods answer (its `outputs` export): per success status, the zod schema of the JSON body. The
 * OpenAPI document's responses are generated from the same schemas (tests/api-routes.test.ts holds them equal), and
 * in tests `apiHandler` checks every real answer against them (`checkedAnswer`).
 */
export type ApiOutputs = Partial<Record<ApiMethod, Partial<Record<200 | 201 | 202, z.ZodType>>>>;

/**
 * Throws (the test fails) when a success answer in JSON is not exactly what the route declares: no schema for its
 * method and status, a field missing or of another type, or a key the schema does not list (zod drops unknown keys,
 * so the parsed body, written back to JSON, differs from the answer). Answers that are not JSON (files, calendars)
 * and errors are described by hand.
 */
async function checkedAnswer(request: Request, response: Response, outputs: ApiOutputs): Promise<Response> {
  const json = response.headers.get("content-type")?.startsWith("application/json");
  if (!json || response.status < 200 || response.status > 299) return response;
  const method = (request.method === "HEAD" ? "GET" : request.method) as ApiMethod;
  const where = `${request.method} ${new URL(request.url).pathname} (${response.status})`;
  const schema = outputs[method]?.[response.status as 200 | 201 | 202];
  if (!schema) throw new Error(`${where} answers JSON that its route's \`outputs\` does not declare.`);
  const body: unknown = await response.clone().json();
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new Error(`${where} answers what its output schema refuses: ${parsed.error.message}`);
  const extra = difference(body, JSON.parse(JSON.stringify(parsed.data)));
  if (extra) throw new Error(`${where} answers ${extra}, which its output schema does not list.`);
  return response;
}

/** Where the JSON `sent` differs from `kept` (what the schema kept of it), named by its path; null when equal. */
function difference(sent: unknown, kept: unknown, path = "body"): string | null {
  if (isDeepStrictEqual(sent, kept)) return null;
  if (!sent || !kept || typeof sent !== "object" || typeof kept !== "object")
    return `${path} = ${JSON.stringify(sent)?.slice(0, 200)}`;
  for (const key of new Set([...Object.keys(sent), ...Object.keys(kept)])) {
    const found = difference(
      (sent as Record<string, unknown>)[key],
      (kept as Record<string, unknown>)[key],
      Array.isArray(sent) ? `${path}[${key}]` : `${path}.${key}`,
    );
    if (found) return found;
  }
  return `${path} = ${JSON.stringify(sent).slice(0, 200)}`;
}

/** The API's one answer to a method a route does not take: 405, the `Allow` header, a French JSON message. */
export function methodNotAllowed(method: string, allowed: readonly ApiMethod[]): Response {
  const response = httpError(
    405,
    `Méthode ${method} non permise sur ce point d'accès : utilisez ${allowed.join(" ou ")}.`,
  );
  response.headers.set("allow", allowed.join(", "));
  return response;
}

/** Throws the 405 unless the request's method is one of the route's (HEAD is answered as GET). */
export function requireMethod(request: Request, allowed: readonly ApiMethod[]): void {
  const method = request.method === "HEAD" ? "GET" : request.method;
  if (!(allowed as readonly string[]).includes(method)) throw methodNotAllowed(request.method, allowed);
}

/** The loader or action of a method a route does not take (Remix serves the API without the dispatcher in dev). */
export const otherMethods =
  (allowed: readonly ApiMethod[]) =>
  ({ request }: Args) =>
    methodNotAllowed(request.method, allowed);

/** Answers unknown API paths and methods with a JSON 404 rather than the HTML error page. */
export const apiNotFound = () =>
  httpError(404, "Point d'accès inconnu. La liste des points d'accès est dans /api/v1/openapi.json.");
