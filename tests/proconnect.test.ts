import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditLog, memberships, users } from "#db/schema";
import { LoginError, logInWithProConnect } from "~/lib/auth.server";
import {
  finishProConnect,
  PROCONNECT_CALLBACK_PATH,
  proConnectEnabled,
  startProConnect,
} from "~/lib/proconnect.server";
import { freePort } from "./e2e/server";
import { createUser } from "./helpers/fixtures";
import { startOidcProvider } from "./helpers/oidc";

/** The refusal's message, or "ouvert" when a session was opened. */
const outcome = (attempt: Promise<unknown>) =>
  attempt.then(
    () => "ouvert",
    (error: unknown) => {
      if (error instanceof LoginError) return error.message;
      throw error;
    },
  );

describe("logInWithProConnect: the identity is linked to an existing member by its verified address", () => {
  it("opens a session for the member, audited as a ProConnect login, and creates no membership", async () => {
    const user = await createUser("vilogia", ["gestionnaire"], { email: "agent.pc@vilogia.test" });
    const session = await logInWithProConnect({
      email: "Agent.PC@vilogia.test",
      emailVerified: true,
      ip: "198.51.100.7",
    });
    expect(session.userId).toBe(user.id);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.subjectId, user.id));
    expect(audit).toMatchObject({
      action: "session.login",
      organisationId: user.organisationId,
      after: { email: user.email, ip: "198.51.100.7", via: "ProConnect" },
    });
    expect(await db.select().from(memberships).where(eq(memberships.userId, user.id))).toHaveLength(1);
  });

  it("refuses, in French and audited, an address that is no member's, and creates no account", async () => {
    const refusal = await outcome(
      logInWithProConnect({ email: "agent@ddtm.gouv.fr", emailVerified: true, ip: "198.51.100.7" }),
    );
    expect(refusal).toBe(
      "Aucun membre du portail n'a l'adresse agent@ddtm.gouv.fr. Demandez une invitation à l'administrateur de votre organisation.",
    );
    expect(await db.select().from(users).where(eq(users.email, "agent@ddtm.gouv.fr"))).toEqual([]);
    const [audit] = await db
      .select({ action: auditLog.action, after: auditLog.after })
      .from(auditLog)
      .where(eq(auditLog.action, "session.login_failed"));
    expect(audit?.after).toMatchObject({ email: "agent@ddtm.gouv.fr", via: "ProConnect", reason: refusal });
  });

  it("refuses a member's address that the provider has not verified, a missing one, and a deactivated member", async () => {
    const user = await createUser("vilogia", ["lecteur"]);
    expect(await outcome(logInWithProConnect({ email: user.email, emailVerified: false, ip: "x" }))).toMatch(
      /^ProConnect n'a pas vérifié votre adresse e-mail/,
    );
    expect(await outcome(logInWithProConnect({ email: undefined, emailVerified: true, ip: "x" }))).toMatch(
      /^ProConnect n'a pas transmis d'adresse e-mail/,
    );
    await db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, user.id));
    expect(await outcome(logInWithProConnect({ email: user.email, emailVerified: true, ip: "x" }))).toBe(
      "Ce compte est désactivé. Contactez l'administrateur de votre organisation.",
    );
  });
});

describe("without the PROCONNECT_ variables", () => {
  it("offers no ProConnect sign-in: the start page answers 404 in French", async () => {
    expect(proConnectEnabled()).toBe(false);
    const refusal = await startProConnect(new Request("http://localhost:3000/connexion/proconnect")).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(Response);
    expect((refusal as Response).status).toBe(404);
    expect(await (refusal as Response).json()).toEqual({
      message: "La connexion avec ProConnect n'est pas proposée sur ce portail.",
    });
  });
});

describe("the ProConnect flow against a local OpenID provider", () => {
  let provider: Awaited<ReturnType<typeof startOidcProvider>>;
  beforeAll(async () => {
    provider = await startOidcProvider({
      port: await freePort(),
      redirectUri: `${process.env.PUBLIC_URL}${PROCONNECT_CALLBACK_PATH}`,
      accounts: {},
    });
    Object.assign(process.env, provider.env);
    expect(proConnectEnabled()).toBe(true);
  });
  afterAll(async () => {
    for (const name of Object.keys(provider.env)) delete process.env[name];
    await provider.close();
  });

  /** Starts a sign-in as a browser would; the provider's URL and the flow's cookie. */
  async function start(redirectTo = "/accueil") {
    const response = await startProConnect(
      new Request(`${process.env.PUBLIC_URL}/connexion/proconnect?${new URLSearchParams({ redirectTo })}`),
    );
    return {
      authorization: new URL(response.headers.get("location")!),
      cookie: response.headers.get("set-cookie")!,
    };
  }

  const callback = (query: Record<string, string>, cookie?: string) =>
    new Request(`${process.env.PUBLIC_URL}${PROCONNECT_CALLBACK_PATH}?${new URLSearchParams(query)}`, {
      headers: cookie ? { cookie: cookie.split(";")[0]! } : {},
    });

  it("sends the browser to the provider with state, nonce and an S256 PKCE challenge, kept in an HttpOnly cookie", async () => {
    const { authorization, cookie } = await start();
    expect(authorization.origin).toBe(process.env.PROCONNECT_ISSUER);
    const query = Object.fromEntries(authorization.searchParams);
    expect(query).toMatchObject({
      client_id: process.env.PROCONNECT_CLIENT_ID,
      response_type: "code",
      scope: "openid email given_name usual_name",
      redirect_uri: `${process.env.PUBLIC_URL}${PROCONNECT_CALLBACK_PATH}`,
      code_challenge_method: "S256",
    });
    expect(query.state).toMatch(/^[\w-]{40,}$/);
    expect(query.nonce).toMatch(/^[\w-]{40,}$/);
    expect(query.code_challenge).toMatch(/^[\w-]{43}$/);
    expect(cookie).toMatch(
      /^flux_proconnect=.+; Max-Age=600; Path=\/connexion\/proconnect\/retour; HttpOnly; SameSite=Lax$/,
    );
  });

  it("refuses an answer whose state is not the one this browser's sign-in is waiting for", async () => {
    const { authorization, cookie } = await start();
    const forged = { code: "code-d-un-autre", state: `${authorization.searchParams.get("state")}x` };
    expect(await outcome(finishProConnect(callback(forged, cookie)))).toBe(
      "La réponse de ProConnect ne correspond pas à la connexion commencée. Recommencez la connexion depuis la page du portail.",
    );
  });

  it("refuses an answer without the flow's cookie, and a sign-in the person cancelled at the provider", async () => {
    const { authorization, cookie } = await start();
    const state = authorization.searchParams.get("state")!;
    expect(await outcome(finishProConnect(callback({ code: "c", state })))).toMatch(
      /a expiré ou n'a pas commencé ici/,
    );
    const cancelled = { error: "access_denied", state, iss: process.env.PROCONNECT_ISSUER! };
    expect(await outcome(finishProConnect(callback(cancelled, cookie)))).toMatch(
      /^ProConnect n'a pas confirmé votre identité/,
    );
  });
});
