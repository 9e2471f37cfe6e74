import { describe, expect, it } from "vitest";
import { CSRF_FIELD, csrfToken, readProtectedForm, verifyCsrf } from "~/lib/csrf.server";
import { responseError } from "./helpers/fixtures";

const MESSAGE =
  "Le formulaire a expiré ou ne vient pas du portail (jeton de sécurité invalide). Rechargez la page et recommencez.";

/** A fresh CSRF token and the Cookie header a browser would send back. */
async function issued() {
  const { token, setCookie } = await csrfToken(new Request("http://localhost/connexion"));
  expect(setCookie).toBeDefined();
  return { token, cookie: setCookie!.split(";")[0]! };
}

function post(fields: Record<string, string>, cookie?: string) {
  const headers = new Headers({ "content-type": "application/x-www-form-urlencoded" });
  if (cookie) headers.set("cookie", cookie);
  return new Request("http://localhost/organisations/x/membres", {
    method: "POST",
    headers,
    body: new URLSearchParams(fields).toString(),
  });
}

describe("CSRF protection", () => {
  it("accepts a form whose field matches the cookie", async () => {
    const { token, cookie } = await issued();
    const form = await readProtectedForm(post({ [CSRF_FIELD]: token, email: "a@b.fr" }, cookie));
    expect(form.get("email")).toBe("a@b.fr");
  });

  it("refuses a form without the field (403, French message)", async () => {
    const { cookie } = await issued();
    expect(await responseError(readProtectedForm(post({ email: "a@b.fr" }, cookie)))).toEqual({
      status: 403,
      message: MESSAGE,
    });
  });

  it("refuses a forged field, and a field without the cookie", async () => {
    const { token, cookie } = await issued();
    const other = await issued();
    expect(await responseError(readProtectedForm(post({ [CSRF_FIELD]: other.token }, cookie)))).toEqual({
      status: 403,
      message: MESSAGE,
    });
    expect(await responseError(readProtectedForm(post({ [CSRF_FIELD]: `${token}x` }, cookie)))).toEqual({
      status: 403,
      message: MESSAGE,
    });
    expect(await responseError(readProtectedForm(post({ [CSRF_FIELD]: token })))).toEqual({
      status: 403,
      message: MESSAGE,
    });
  });

  it("keeps the token of an existing cookie, and checks the X-CSRF-Token header value for API calls", async () => {
    const { token, cookie } = await issued();
    const again = await csrfToken(new Request("http://localhost/", { headers: { cookie } }));
    expect(again).toEqual({ token });
    const request = new Request("http://localhost/api/v1/x", {
      method: "POST",
      headers: { cookie, "x-csrf-token": token },
    });
    await expect(verifyCsrf(request, request.headers.get("x-csrf-token"))).resolves.toBeUndefined();
    expect((await responseError(verifyCsrf(request, null))).status).toBe(403);
  });

  it("marks the cookie Secure and HttpOnly over HTTPS", async () => {
    const { setCookie } = await csrfToken(new Request("https://portail-flux.lille.fr/"));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Lax/);
  });
});
