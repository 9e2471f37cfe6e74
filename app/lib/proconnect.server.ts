import { createCookie, redirect } from "@remix-run/node";
import * as oidc from "openid-client";
import { LoginError } from "./auth.server";
import { httpError } from "./http.server";
import { safeRedirect } from "./redirects";
import { publicUrl } from "./route-params.server";

/**
 * Sign-in with ProConnect, the State's identity federation (decision 22): OpenID Connect's authorization code flow
 * with state, nonce and PKCE. This module only learns who the person is; `logInWithProConnect` decides whether they
 * may enter.
 */

/** The path ProConnect sends the browser back to: registered at ProConnect as `PUBLIC_URL` + this. */
export const PROCONNECT_CALLBACK_PATH = "/connexion/proconnect/retour";
/** ProConnect's names: `usual_name` is the family name. */
const SCOPE = "openid email given_name usual_name";

type Settings = { issuer: URL; clientId: string; clientSecret: string };

/** The three variables, or null when ProConnect is not offered. Plain HTTP only on this machine (the tests). */
function settings(): Settings | null {
  const { PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET } = process.env;
  if (!PROCONNECT_ISSUER || !PROCONNECT_CLIENT_ID || !PROCONNECT_CLIENT_SECRET) return null;
  const issuer = new URL(PROCONNECT_ISSUER);
  if (issuer.protocol !== "https:" && !["localhost", "127.0.0.1"].includes(issuer.hostname))
    throw new Error(`PROCONNECT_ISSUER doit être une adresse https (reçu ${PROCONNECT_ISSUER}).`);
  return { issuer, clientId: PROCONNECT_CLIENT_ID, clientSecret: PROCONNECT_CLIENT_SECRET };
}

export const proConnectEnabled = () => settings() !== null;

let discovered: Promise<oidc.Configuration> | undefined;

/** The provider's endpoints and keys, discovered once; a failed discovery is tried again at the next sign-in. */
function configuration(): Promise<oidc.Configuration> {
  const found = settings();
  if (!found) throw httpError(404, "La connexion avec ProConnect n'est pas proposée sur ce portail.");
  discovered ??= oidc
    .discovery(found.issuer, found.clientId, undefined, oidc.ClientSecretPost(found.clientSecret), {
      execute: found.issuer.protocol === "http:" ? [oidc.allowInsecureRequests] : [],
    })
    .catch((error: unknown) => {
      discovered = undefined;
      throw unreachable(error);
    });
  return discovered;
}

const unreachable = (error: unknown) => {
  console.error("ProConnect :", error instanceof Error ? error.message : error);
  return httpError(
    503,
    "ProConnect ne répond pas pour le moment : réessayez dans un instant, ou utilisez votre mot de passe.",
  );
};

/**
 * What the callback must find again: the flow's secrets, kept by the browser that started it (HttpOnly, sent back
 * only to the callback, 10 minutes). A callback carrying another browser's answer finds no matching state.
 */
type Flow = { state: string; nonce: string; verifier: string; redirectTo: string };
const flowCookie = createCookie("flux_proconnect", {
  httpOnly: true,
  sameSite: "lax",
  path: PROCONNECT_CALLBACK_PATH,
  maxAge: 600,
});

const secure = (request: Request) => new URL(request.url).protocol === "https:";

/** Sends the browser to ProConnect, `redirectTo` (a path of the portal) kept for after the sign-in. */
export async function startProConnect(request: Request): Promise<Response> {
  const config = await configuration();
  const flow: Flow = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    redirectTo: safeRedirect(new URL(request.url).searchParams.get("redirectTo")),
  };
  const authorization = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${publicUrl()}${PROCONNECT_CALLBACK_PATH}`,
    scope: SCOPE,
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
  });
  return redirect(authorization.href, {
    headers: { "Set-Cookie": await flowCookie.serialize(flow, { secure: secure(request) }) },
  });
}

export type ProConnectIdentity = { email: string | undefined; emailVerified: boolean; redirectTo: string };

const RESTART = "Recommencez la connexion depuis la page du portail.";

/**
 * The identity ProConnect vouches for at the callback, once the answer is checked against the flow this browser
 * started (state, then nonce and PKCE through the code exchange). Throws a LoginError when it does not match, a
 * 503 answer when ProConnect cannot be reached.
 */
export async function finishProConnect(request: Request): Promise<ProConnectIdentity> {
  const config = await configuration();
  const flow = (await flowCookie.parse(request.headers.get("cookie"))) as Flow | null;
  if (!flow?.state)
    throw new LoginError(`La connexion avec ProConnect a expiré ou n'a pas commencé ici. ${RESTART}`, 401);
  // The URL ProConnect called, as registered (behind a proxy the request's own URL may name another host).
  const callback = new URL(`${publicUrl()}${PROCONNECT_CALLBACK_PATH}${new URL(request.url).search}`);
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      pkceCodeVerifier: flow.verifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    const email = userInfo.email ?? claims.email;
    return {
      email: typeof email === "string" ? email : undefined,
      emailVerified: (userInfo.email_verified ?? claims.email_verified) === true,
      redirectTo: flow.redirectTo,
    };
  } catch (error) {
    // The person cancelled at ProConnect, or the answer is not the one this browser waited for.
    if (error instanceof oidc.AuthorizationResponseError)
      throw new LoginError(`ProConnect n'a pas confirmé votre identité. ${RESTART}`, 401);
    if (error instanceof oidc.ResponseBodyError)
      throw new LoginError(
        `ProConnect a refusé de confirmer cette connexion (expirée ou déjà utilisée). ${RESTART}`,
        401,
      );
    if (error instanceof oidc.ClientError)
      throw new LoginError(
        `La réponse de ProConnect ne correspond pas à la connexion commencée. ${RESTART}`,
        401,
      );
    throw unreachable(error);
  }
}

/** Forgets the flow: each one ends at its first callback, whatever its outcome. */
export const endProConnectFlow = (request: Request) =>
  flowCookie.serialize("", { maxAge: 0, secure: secure(request) });
