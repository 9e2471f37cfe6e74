import { DomainError, type DomainErrorKind } from "./domain-error";

/** A JSON error with a French message; thrown from loaders and actions, caught by boundaries and the API wrapper. */
export function httpError(status: number, message: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ message, ...extra }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

export const notFound = (what = "Cette ressource") =>
  httpError(404, `${what} est introuvable, ou vous n'y avez pas accès.`);

/** The client's address, as seen by express (which honours X-Forwarded-For only behind a trusted proxy). */
export function clientIp(request: Request, context?: unknown): string {
  const ip = (context as { ip?: string } | undefined)?.ip;
  return ip ?? request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "inconnue";
}

/** A JSON answer whose body is already serialised (a cached report). */
export const jsonBody = (body: Uint8Array<ArrayBuffer>) =>
  new Response(body, { headers: { "content-type": "application/json; charset=utf-8" } });

const STATUS_OF: Record<DomainErrorKind, number> = {
  invalid: 400,
  unprocessable: 422,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
};

/** The one mapping of a model's refusal to HTTP; anything else is returned unchanged. */
export function asHttpError(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  // A refused input always names its fields (possibly none); another refusal only when it has some.
  const withErrors =
    error.kind === "invalid" || error.kind === "unprocessable" || Object.keys(error.errors).length > 0;
  return httpError(STATUS_OF[error.kind], error.message, {
    ...(withErrors ? { errors: error.errors } : {}),
    ...error.details,
    ...(error.required ? { required: error.required } : {}),
  });
}

/**
 * A page's loader or action whose refusals (the models' and the policy's DomainError) answer with their HTTP status;
 * the API's handlers have `apiHandler`, forms that keep their page have `attempt`.
 */
export const withHttpErrors =
  <A, T>(handler: (args: A) => Promise<T>) =>
  async (args: A): Promise<T> => {
    try {
      return await handler(args);
    } catch (error) {
      throw asHttpError(error);
    }
  };

/** The answer to a request whose database connection was lost: nothing was written, the pool reconnects. */
export const databaseUnavailable = () => {
  const response = httpError(
    503,
    "La base de données est momentanément indisponible, réessayez dans un instant.",
  );
  response.headers.set("retry-after", "5");
  return response;
};
