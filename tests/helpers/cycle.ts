import type { Forecast } from "~/domain/rights";
import { csrfToken } from "~/lib/csrf.server";
import { publishAssiette, saveForecast } from "~/models/assiette.server";
import { actorOf, BASE_URL, createSession, createToken, createUser, type TestUser } from "./fixtures";

/** Helpers of the yearly-cycle tests: a logged-in browser (session + CSRF) and an API client (bearer token). */

type Handler = (args: never) => unknown;

async function outcome(
  promise: Promise<unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const result = await promise;
    if (result instanceof Response)
      return {
        status: result.status,
        body: (await result.json().catch(() => ({}))) as Record<string, unknown>,
      };
    const data = result as { type?: string; data?: unknown; init?: { status?: number } } | null;
    if (data && data.type === "DataWithResponseInit")
      return { status: data.init?.status ?? 200, body: data.data as Record<string, unknown> };
    return { status: 200, body: (result ?? {}) as Record<string, unknown> };
  } catch (error) {
    if (error instanceof Response)
      return {
        status: error.status,
        body: (await error.json().catch(() => ({}))) as Record<string, unknown>,
      };
    throw error;
  }
}

export async function browserOf(user: TestUser) {
  const session = await createSession(user);
  const { token, setCookie } = await csrfToken(new Request(BASE_URL), session.id);
  const cookie = `flux_session=${session.id}; ${setCookie!.split(";")[0]}`;
  return {
    user,
    get: (loader: Handler, path: string, params: Record<string, string> = {}) =>
      outcome(
        Promise.resolve(
          loader({
            request: new Request(`${BASE_URL}${path}`, { headers: { cookie } }),
            params,
            context: {},
          } as never),
        ),
      ),
    raw: (loader: Handler, path: string, params: Record<string, string> = {}) =>
      Promise.resolve(
        loader({
          request: new Request(`${BASE_URL}${path}`, { headers: { cookie } }),
          params,
          context: {},
        } as never),
      ) as Promise<Response>,
    /** Posts fields (url-encoded), or a FormData as multipart (a file upload), with the CSRF field. */
    post: (
      action: Handler,
      path: string,
      fields: Record<string, string> | FormData,
      params: Record<string, string> = {},
    ) => {
      const multipart = fields instanceof FormData;
      if (multipart) fields.set("csrf", token);
      return outcome(
        Promise.resolve(
          action({
            request: new Request(`${BASE_URL}${path}`, {
              method: "POST",
              body: multipart ? fields : new URLSearchParams({ ...fields, csrf: token }),
              headers: multipart
                ? { cookie }
                : { cookie, "content-type": "application/x-www-form-urlencoded" },
            }),
            params,
            context: {},
          } as never),
        ),
      );
    },
  };
}

export async function apiOf(user: TestUser) {
  const { token } = await createToken(user);
  const call = async (
    handler: Handler,
    path: string,
    init: { method?: string; body?: unknown; params?: Record<string, string> } = {},
  ) => {
    const request = new Request(`${BASE_URL}${path}`, {
      method: init.method ?? "GET",
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    return outcome(Promise.resolve(handler({ request, params: init.params ?? {}, context: {} } as never)));
  };
  return { user, call };
}

/** Each bailleur (by slug) submits its forecast for the year, then the État publishes the assiette (version 1). */
export async function publishYear(year: number, byBailleur: Record<string, Forecast>) {
  for (const [slug, values] of Object.entries(byBailleur))
    await saveForecast(await actorOf(await createUser(slug, ["gestionnaire"])), {
      year,
      values,
      submit: true,
    });
  await publishAssiette(await actorOf(await createUser("etat", ["signataire"])), {
    year,
    confirmIncomplete: true,
    baseUrl: BASE_URL,
  });
}
