import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { memberships, sessions, users } from "#db/schema";
import { authenticate, requireApiActor } from "~/lib/actor.server";
import { LoginError, logIn, lucia } from "~/lib/auth.server";
import { revokeApiToken } from "~/models/api-tokens.server";
import { setMemberActive, updateRoles } from "~/models/members.server";
import {
  actorOf,
  createSession,
  createToken,
  createUser,
  requestAs,
  requestWithBearer,
  requestWithSession,
  responseError,
  TEST_PASSWORD,
} from "./helpers/fixtures";

async function loginError(input: Parameters<typeof logIn>[0]): Promise<LoginError> {
  try {
    await logIn(input);
  } catch (error) {
    if (error instanceof LoginError) return error;
    throw error;
  }
  throw new Error("logIn succeeded");
}

const WRONG = "E-mail ou mot de passe incorrect.";

describe("logIn", () => {
  it("opens a session acting for the user's organisation", async () => {
    const user = await createUser("vilogia", ["gestionnaire"]);
    const session = await logIn({
      email: ` ${user.email.toUpperCase()} `,
      password: TEST_PASSWORD,
      ip: "10.1.0.1",
    });
    expect(session.userId).toBe(user.id);
    expect(session.organisationId).toBe(user.organisationId);
    const actor = await authenticate(requestWithSession(session.id));
    expect(actor?.user.id).toBe(user.id);
  });

  it("answers a wrong password and an unknown e-mail alike (401, same French message)", async () => {
    const user = await createUser("vilogia", ["lecteur"]);
    const wrong = await loginError({ email: user.email, password: "pas-le-bon-mot", ip: "10.1.0.2" });
    const unknown = await loginError({
      email: "personne@nulle-part.test",
      password: TEST_PASSWORD,
      ip: "10.1.0.3",
    });
    expect([wrong.status, wrong.message]).toEqual([401, WRONG]);
    expect([unknown.status, unknown.message]).toEqual([401, WRONG]);
  });

  it("refuses a member whose only membership is deactivated, and a deactivated account", async () => {
    const admin = await createUser("norevie", ["admin"]);
    const member = await createUser("norevie", ["gestionnaire"]);
    await setMemberActive(await actorOf(admin), member.membershipId, false);
    const error = await loginError({ email: member.email, password: TEST_PASSWORD, ip: "10.1.0.4" });
    expect(error.status).toBe(401);
    expect(error.message).toBe("Ce compte n'appartient plus à aucune organisation active.");

    const other = await createUser("norevie", ["lecteur"]);
    await db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, other.id));
    const disabled = await loginError({ email: other.email, password: TEST_PASSWORD, ip: "10.1.0.5" });
    expect(disabled.status).toBe(401);
    expect(disabled.message).toMatch(/désactivé/);
  });
});

describe("authenticate", () => {
  it("returns the actor of a valid session cookie with its organisation, roles and ability", async () => {
    const user = await createUser("lille-metropole-habitat", ["admin", "signataire"]);
    const actor = await authenticate(await requestAs(user));
    expect(actor).not.toBeNull();
    expect(actor!.via).toBe("session");
    expect(actor!.user).toEqual({ id: user.id, email: user.email, name: user.name });
    expect(actor!.organisation).toMatchObject({
      id: user.organisationId,
      slug: "lille-metropole-habitat",
      kind: "bailleur",
      name: "Lille Métropole Habitat",
    });
    expect(actor!.roles).toEqual(["admin", "signataire"]);
    expect(actor!.ability.can("create", "Invitation")).toBe(true);
  });

  it("returns null without a cookie and with an unknown session", async () => {
    expect(await authenticate(new Request("http://localhost/"))).toBeNull();
    const headers: Array<[string, string]> = [];
    const actor = await authenticate(requestWithSession("nimportequoi"), {
      appendHeader: (n, v) => headers.push([n, v]),
    });
    expect(actor).toBeNull();
    // The stale cookie is cleared.
    expect(headers.some(([n, v]) => n === "Set-Cookie" && v.startsWith("flux_session=;"))).toBe(true);
  });

  it("sees a membership deactivated or a role changed behind a live session on the very next request", async () => {
    const user = await createUser("vilogia", ["gestionnaire"]);
    const request = await requestAs(user);
    await db
      .update(memberships)
      .set({ roles: ["lecteur"] })
      .where(and(eq(memberships.userId, user.id), eq(memberships.organisationId, user.organisationId)));
    expect((await authenticate(request.clone()))!.roles).toEqual(["lecteur"]);
    await db
      .update(memberships)
      .set({ deactivatedAt: new Date() })
      .where(and(eq(memberships.userId, user.id), eq(memberships.organisationId, user.organisationId)));
    expect(await authenticate(request.clone())).toBeNull();
  });

  it("reads the session once for all the loaders of a page, and renews its cookie once", async () => {
    const user = await createUser("vilogia", ["gestionnaire"]);
    const session = await createSession(user);
    // Past half its life: lucia extends it and the cookie is sent again.
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() + 60 * 60_000) })
      .where(eq(sessions.id, session.id));
    const request = requestWithSession(session.id, "/signalements");
    const cookies: string[] = [];
    const context = { appendHeader: (_name: string, value: string) => cookies.push(value) };
    // Single fetch hands each loader its own copy of the request; the load context is the HTTP request's own.
    const copy = () => new Request(request.url, { headers: request.headers });
    const [root, layout, page] = await Promise.all([
      authenticate(copy(), context),
      authenticate(copy(), context),
      authenticate(copy(), context),
    ]);
    expect(layout).toBe(root);
    expect(page).toBe(layout);
    expect(page!.organisation.id).toBe(user.organisationId);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(new RegExp(`^flux_session=${session.id};`));
  });

  it("reads the session again within a write: its action may have changed it", async () => {
    const user = await createUser("vilogia", ["gestionnaire"]);
    const request = await requestAs(user, "/compte", { method: "POST" });
    expect(await authenticate(request)).not.toBeNull();
    await db
      .update(memberships)
      .set({ deactivatedAt: new Date() })
      .where(and(eq(memberships.userId, user.id), eq(memberships.organisationId, user.organisationId)));
    expect(await authenticate(request)).toBeNull();
  });

  it("accepts a valid bearer token and records its use", async () => {
    const user = await createUser("partenord-habitat", ["gestionnaire"]);
    const { token } = await createToken(user);
    expect(token).toMatch(/^flux_/);
    const actor = await requireApiActor(requestWithBearer(token));
    expect(actor?.via).toBe("token");
    expect(actor?.user.id).toBe(user.id);
    expect(actor?.organisation.slug).toBe("partenord-habitat");
  });

  it("refuses a malformed, unknown or revoked bearer token with 401 and a French message", async () => {
    const user = await createUser("partenord-habitat", ["lecteur"]);
    const { id, token } = await createToken(user);
    const message = "Jeton d'API invalide, expiré ou révoqué. Créez-en un nouveau depuis « Mon compte ».";
    expect(await responseError(requireApiActor(requestWithBearer("pas-un-jeton")))).toEqual({
      status: 401,
      message,
    });
    expect(await responseError(requireApiActor(requestWithBearer(`flux_${"A".repeat(43)}`)))).toEqual({
      status: 401,
      message,
    });
    await revokeApiToken(await actorOf(user), id);
    expect(await responseError(requireApiActor(requestWithBearer(token)))).toEqual({ status: 401, message });
    const basic = new Request("http://localhost/api/v1/organisations", {
      headers: { authorization: "Basic abc" },
    });
    const error = await responseError(requireApiActor(basic));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/Bearer/);
    expect(await responseError(requireApiActor(new Request("http://localhost/api/v1/x")))).toMatchObject({
      status: 401,
    });
  });

  it("stops a token when its owner's membership is deactivated", async () => {
    const admin = await createUser("sigh", ["admin"]);
    const user = await createUser("sigh", ["gestionnaire"]);
    const { token } = await createToken(user);
    await setMemberActive(await actorOf(admin), user.membershipId, false);
    expect((await responseError(requireApiActor(requestWithBearer(token)))).status).toBe(401);
  });
});

describe("members", () => {
  it("deactivating a member ends their sessions at once", async () => {
    const admin = await createUser("promocil", ["admin"]);
    const member = await createUser("promocil", ["gestionnaire"]);
    const request = await requestAs(member);
    expect(await authenticate(request)).not.toBeNull();
    await setMemberActive(await actorOf(admin), member.membershipId, false);
    expect(await authenticate(request.clone())).toBeNull();
    expect(await lucia.getUserSessions(member.id)).toEqual([]);
    // Reactivated: may log in again.
    await setMemberActive(await actorOf(admin), member.membershipId, true);
    expect((await logIn({ email: member.email, password: TEST_PASSWORD, ip: "10.3.0.1" })).userId).toBe(
      member.id,
    );
  });

  it("keeps at least one active admin: the last one can neither be deactivated nor lose the role (409)", async () => {
    const mel = await createUser("mel", ["admin"]);
    const lastAdmin = await createUser("tisserin-habitat", ["admin", "signataire"]);
    const message =
      "L'organisation doit garder au moins un administrateur actif : nommez-en un autre d'abord.";
    expect(await responseError(setMemberActive(await actorOf(mel), lastAdmin.membershipId, false))).toEqual({
      status: 409,
      message,
    });
    expect(
      await responseError(updateRoles(await actorOf(mel), lastAdmin.membershipId, ["signataire"])),
    ).toEqual({ status: 409, message });
    expect(await authenticate(await requestAs(lastAdmin))).toMatchObject({ roles: ["admin", "signataire"] });

    // With a second admin, the first may step down.
    const second = await createUser("tisserin-habitat", ["admin"]);
    await updateRoles(await actorOf(second), lastAdmin.membershipId, ["signataire"]);
    expect(await responseError(setMemberActive(await actorOf(mel), second.membershipId, false))).toEqual({
      status: 409,
      message,
    });
  });

  it("refuses that an admin deactivates themselves", async () => {
    const a = await createUser("sia-habitat", ["admin"]);
    await createUser("sia-habitat", ["admin"]);
    const error = await responseError(setMemberActive(await actorOf(a), a.membershipId, false));
    expect(error).toEqual({ status: 409, message: "Vous ne pouvez pas vous désactiver vous-même." });
  });
});
