import { createHmac, timingSafeEqual } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { lucia } from "./auth.server";
import { httpError } from "./http.server";
import { generateToken } from "./tokens.server";

/**
 * CSRF protection bound to the session: a signed-in person's token is an HMAC of their session id (which only their
 * browser holds, in an HttpOnly cookie), so a token planted from elsewhere, or kept from another session, is refused.
 * Before login, forms are bound to a random pre-session cookie (double submit). The token goes in a hidden field of
 * every form that changes data, or in the X-CSRF-Token header for cookie-authenticated API calls. SameSite=Lax and
 * the Origin check add layers.
 */
const csrfCookie = createCookie("flux_csrf", { httpOnly: true, sameSite: "lax", path: "/" });

export const CSRF_FIELD = "csrf";

const sessionBound = (sessionId: string) =>
  createHmac("sha256", sessionId).update("csrf").digest("base64url");

const sessionIdOf = (request: Request) => lucia.readSessionCookie(request.headers.get("cookie") ?? "");

/**
 * The request's CSRF token, and the Set-Cookie header to send when a pre-session cookie was made. `sessionId` is the
 * session the page is served for (by default the session cookie's; null when that session turned out invalid).
 */
export async function csrfToken(
  request: Request,
  sessionId: string | null = sessionIdOf(request),
): Promise<{ token: string; setCookie?: string }> {
  const existing = await csrfCookie.parse(request.headers.get("cookie"));
  const kept = typeof existing === "string" && existing.length > 20;
  const preSession = kept ? existing : generateToken();
  const setCookie = kept
    ? undefined
    : await csrfCookie.serialize(preSession, { secure: new URL(request.url).protocol === "https:" });
  return { token: sessionId ? sessionBound(sessionId) : preSession, ...(setCookie && { setCookie }) };
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const FOREIGN =
  "Cette demande vient d'un autre site que le portail : elle est refusée. Ouvrez la page sur le portail et recommencez.";

/**
 * The refusal for a write whose Origin names another host, as Remix's own check sees it (Origin's host against
 * X-Forwarded-Host, else Host): Remix answers those with a bare 500, so server.js asks here first and answers 403.
 */
export function crossOriginWriteRefusal(
  method: string,
  header: (name: string) => string | null | undefined,
): string | null {
  if (!["POST", "PUT", "PATCH", "DELETE"].includes(method.toUpperCase())) return null;
  const origin = header("origin");
  if (!origin) return null;
  const host = header("x-forwarded-host")?.split(",")[0]?.trim() || header("host");
  let originHost: string | null = null;
  try {
    originHost = origin === "null" ? null : new URL(origin).host;
  } catch {
    // An unreadable Origin is as foreign as another site's.
  }
  return originHost && originHost === host ? null : FOREIGN;
}

/** Throws 403 unless the request comes from the portal and the submitted token is the session's (or pre-session's). */
export async function verifyCsrf(
  request: Request,
  submitted: FormDataEntryValue | string | null,
): Promise<void> {
  const foreign = crossOriginWriteRefusal(request.method, (name) => request.headers.get(name));
  if (foreign) throw httpError(403, foreign);
  const sessionId = sessionIdOf(request);
  const expected = sessionId
    ? sessionBound(sessionId)
    : await csrfCookie.parse(request.headers.get("cookie"));
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
