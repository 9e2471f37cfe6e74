import { timingSafeEqual } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { httpError } from "./http.server";
import { generateToken } from "./tokens.server";

/**
 * Double-submit CSRF protection: a random token in an HttpOnly cookie, the same token in a hidden field of every
 * form that changes data (or the X-CSRF-Token header for cookie-authenticated API calls). SameSite=Lax adds a layer.
 */
const csrfCookie = createCookie("flux_csrf", { httpOnly: true, sameSite: "lax", path: "/" });

export const CSRF_FIELD = "csrf";

/** The request's CSRF token, and the Set-Cookie header to send when a new one was made. */
export async function csrfToken(request: Request): Promise<{ token: string; setCookie?: string }> {
  const existing = await csrfCookie.parse(request.headers.get("cookie"));
  if (typeof existing === "string" && existing.length > 20) return { token: existing };
  const token = generateToken();
  const secure = new URL(request.url).protocol === "https:";
  return { token, setCookie: await csrfCookie.serialize(token, { secure }) };
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Throws 403 unless the submitted token matches the cookie's. */
export async function verifyCsrf(
  request: Request,
  submitted: FormDataEntryValue | string | null,
): Promise<void> {
  const expected = await csrfCookie.parse(request.headers.get("cookie"));
  if (typeof expected !== "string" || typeof submitted !== "string" || !same(expected, submitted)) {
    throw httpError(
      403,
      "Le formulaire a expiré ou ne vient pas du portail (jeton de sécurité invalide). Rechargez la page et recommencez.",
    );
  }
}

/** Reads a form and checks its CSRF field; every action that changes data starts here. */
export async function readProtectedForm(request: Request): Promise<FormData> {
  const formData = await request.formData().catch(() => {
    throw httpError(400, "Formulaire illisible : renvoyez-le depuis la page du portail.");
  });
  await verifyCsrf(request, formData.get(CSRF_FIELD));
  return formData;
}
