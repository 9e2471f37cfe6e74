import { throwIfPotentialCSRFAttack } from "@remix-run/server-runtime/dist/actions.js";
import { describe, expect, it } from "vitest";
import { CSRF_FIELD, crossOriginWriteRefusal, csrfToken, readProtectedForm } from "~/lib/csrf.server";
import { BASE_URL, createSession, createUser, responseError } from "../helpers/fixtures";

const INVALID =
  "Le formulaire a expiré ou ne vient pas du portail (jeton de sécurité invalide). Rechargez la page et recommencez.";
const FOREIGN =
  "Cette demande vient d'un autre site que le portail : elle est refusée. Ouvrez la page sur le portail et recommencez.";

function post(cookie: string, token: string, headers: Record<string, string> = {}) {
  return new Request(`${BASE_URL}/compte`, {
    method: "POST",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ [CSRF_FIELD]: token, intent: "x" }),
  });
}

describe("CSRF token bound to the session", () => {
  it("accepts the token of the page's own session, and refuses another session's or the pre-session one", async () => {
    const user = await createUser("vilogia", ["gestionnaire"]);
    const mine = await createSession(user);
    const other = await createSession(user);
    // The pre-session cookie a visitor got before logging in, which an attacker may also have planted.
    const anonymous = await csrfToken(new Request(BASE_URL));
    const preSession = anonymous.setCookie!.split(";")[0]!;
    const cookie = `flux_session=${mine.id}; ${preSession}`;
    const { token } = await csrfToken(new Request(BASE_URL, { headers: { cookie } }));
    expect(token).not.toBe(anonymous.token);

    expect((await readProtectedForm(post(cookie, token))).get("intent")).toBe("x");
    const otherToken = (await csrfToken(new Request(BASE_URL), other.id)).token;
    expect(await responseError(readProtectedForm(post(cookie, otherToken)))).toEqual({
      status: 403,
      message: INVALID,
    });
    expect(await responseError(readProtectedForm(post(cookie, anonymous.token)))).toEqual({
      status: 403,
      message: INVALID,
    });
  });

  it("binds anonymous forms (login, reset) to the pre-session cookie", async () => {
    const { token, setCookie } = await csrfToken(new Request(BASE_URL));
    const cookie = setCookie!.split(";")[0]!;
    await expect(readProtectedForm(post(cookie, token))).resolves.toBeInstanceOf(FormData);
    const stranger = await csrfToken(new Request(BASE_URL));
    expect((await responseError(readProtectedForm(post(cookie, stranger.token)))).status).toBe(403);
  });

  it("refuses a write from another site with a French 403, wherever Remix itself would answer a bare 500", async () => {
    const user = await createUser("vilogia", ["gestionnaire"]);
    const session = await createSession(user);
    const cookie = `flux_session=${session.id}`;
    const { token } = await csrfToken(new Request(BASE_URL, { headers: { cookie } }));
    const foreign = post(cookie, token, { origin: "https://evil.example", host: "localhost:3000" });
    expect(await responseError(readProtectedForm(foreign))).toEqual({ status: 403, message: FOREIGN });

    const cases: Array<[string, Record<string, string>]> = [
      ["POST", { origin: "https://evil.example", host: "portail.lille.fr" }],
      ["POST", { origin: "null", host: "portail.lille.fr" }],
      ["DELETE", { origin: "https://portail.lille.fr", host: "127.0.0.1:3000" }],
      [
        "POST",
        {
          origin: "https://portail.lille.fr",
          host: "127.0.0.1:3000",
          "x-forwarded-host": "portail.lille.fr",
        },
      ],
      ["POST", { origin: "https://portail.lille.fr", host: "portail.lille.fr" }],
      ["POST", { host: "portail.lille.fr" }],
      ["GET", { origin: "https://evil.example", host: "portail.lille.fr" }],
    ];
    for (const [method, headers] of cases) {
      const remixRefuses = (() => {
        if (!["POST", "PUT", "PATCH", "DELETE"].includes(method)) return false;
        try {
          throwIfPotentialCSRFAttack(new Headers(headers));
          return false;
        } catch {
          return true;
        }
      })();
      const ours = crossOriginWriteRefusal(method, (name) => headers[name]);
      expect(ours, `${method} ${JSON.stringify(headers)}`).toBe(remixRefuses ? FOREIGN : null);
    }
  });
});
