import { csrfToken } from "~/lib/csrf.server";
import { BASE_URL, createSession, createToken, createUser, type TestUser } from "./fixtures";

/**
 * The two kinds of client of the signalements and CRIB tests: a logged-in browser (session cookie + CSRF) calling
 * the pages' loaders and actions, and an API caller (bearer token).
 */

export type Browser = TestUser & { cookie: string; csrf: string };
export type Caller = TestUser & { token: string };

/** A new member of `slug` with these roles, logged in through a browser. */
export async function browser(slug: string, roles: TestUser["roles"]): Promise<Browser> {
  const user = await createUser(slug, roles);
  const session = await createSession(user);
  const { token, setCookie } = await csrfToken(new Request(BASE_URL), session.id);
  return { ...user, cookie: `flux_session=${session.id}; ${setCookie!.split(";")[0]}`, csrf: token };
}

/** A new member of `slug` with these roles, holding an API token. */
export async function caller(slug: string, roles: TestUser["roles"]): Promise<Caller> {
  const user = await createUser(slug, roles);
  return { ...user, token: (await createToken(user)).token };
}

export const get = (who: Browser, path: string) =>
  new Request(`${BASE_URL}${path}`, { headers: { cookie: who.cookie } });

/** A form posted by the browser, with its CSRF field. */
export const post = (who: Browser, path: string, fields: Array<[string, string]>) =>
  new Request(`${BASE_URL}${path}`, {
    method: "POST",
    body: new URLSearchParams([...fields, ["csrf", who.csrf]]),
    headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded" },
  });

/** What a page's loader or action answered: its status, a redirect's location, or the action's result. */
export async function outcome(promise: Promise<unknown>) {
  try {
    const result = await promise;
    if (result instanceof Response)
      return { status: result.status, location: result.headers.get("location") };
    const data = result as {
      data?: { ok: boolean; message: string; errors: Record<string, string> };
      init?: { status?: number };
    };
    return {
      status: data.init?.status ?? 200,
      result: data.data ?? (result as { ok: boolean; message: string }),
    };
  } catch (error) {
    if (error instanceof Response) return { status: error.status };
    throw error;
  }
}
