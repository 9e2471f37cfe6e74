import { createToken, createUser, requestWithBearer, type TestUser } from "./fixtures";

/** A test user with a personal access token, to call /api/v1 handlers directly. */
export type ApiCaller = TestUser & { token: string };

export async function apiCaller(slug: string, roles: TestUser["roles"]): Promise<ApiCaller> {
  const user = await createUser(slug, roles);
  return { ...user, token: (await createToken(user)).token };
}

/** A JSON answer: an object (checked field by field) or a list. */
export type ApiBody = Record<string, unknown> & { message?: string } & unknown[];

/**
 * Calls a route handler as `who` (bearer token): a JSON body when `body` is given (POST unless `method` says
 * otherwise), or any `init` (multipart uploads).
 */
export async function callApi(
  who: ApiCaller,
  handler: (args: never) => Promise<Response>,
  options: {
    path?: string;
    method?: string;
    body?: unknown;
    init?: RequestInit;
    params?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: ApiBody }> {
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  const init: RequestInit =
    options.init ??
    (options.body === undefined
      ? { method }
      : { method, body: JSON.stringify(options.body), headers: { "content-type": "application/json" } });
  const response = await handler({
    request: requestWithBearer(who.token, `/api/v1${options.path ?? "/"}`, init),
    params: options.params ?? {},
    context: {},
  } as never);
  return { status: response.status, body: (await response.json()) as ApiBody };
}
