import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditLog, sessions } from "#db/schema";
import { authenticate } from "~/lib/actor.server";
import { logIn, lucia, SESSION_ABSOLUTE_LIFETIME_MS } from "~/lib/auth.server";
import { csrfToken } from "~/lib/csrf.server";
import { changePassword, listSessions, logOutEverywhere } from "~/models/account.server";
import { action as logoutAction } from "~/routes/deconnexion";
import {
  BASE_URL,
  createSession,
  createUser,
  requestWithSession,
  responseError,
  TEST_PASSWORD,
} from "../helpers/fixtures";

const actorOf = async (sessionId: string) => (await authenticate(requestWithSession(sessionId)))!;

describe("sessions", () => {
  it("have a cookie that lives as long as the server's session (8 h), not 400 days", () => {
    const cookie = lucia.createSessionCookie("abc").serialize();
    expect(cookie).toMatch(/Max-Age=28800(;|$)/);
  });

  it("end 7 days after login, however active", async () => {
    const user = await createUser("vilogia", ["lecteur"]);
    const session = await createSession(user);
    expect(await authenticate(requestWithSession(session.id))).not.toBeNull();
    // Active all along: lucia kept extending the expiry.
    await db
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - SESSION_ABSOLUTE_LIFETIME_MS - 1000) })
      .where(eq(sessions.id, session.id));
    expect(await authenticate(requestWithSession(session.id))).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.id, session.id))).toEqual([]);
  });

  it("are listed in « Mon compte » with their address, and « Se déconnecter partout » closes them all", async () => {
    const user = await createUser("vilogia", ["gestionnaire"]);
    const here = await logIn({ email: user.email, password: TEST_PASSWORD, ip: "192.0.2.40" });
    await logIn({ email: user.email, password: TEST_PASSWORD, ip: "198.51.100.40" });
    const actor = await actorOf(here.id);
    const listed = await listSessions(actor);
    expect(listed.map((s) => [s.ip, s.current]).sort()).toEqual([
      ["192.0.2.40", true],
      ["198.51.100.40", false],
    ]);
    expect(JSON.stringify(listed)).not.toContain(here.id);
    await logOutEverywhere(actor);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
  });

  it("change of password needs the current one, and closes the other sessions", async () => {
    const user = await createUser("vilogia", ["gestionnaire"]);
    const here = await createSession(user);
    const elsewhere = await createSession(user);
    const actor = await actorOf(here.id);
    expect(
      await responseError(
        changePassword(actor, { currentPassword: "pas-le-bon", password: "nouveau-mot-de-passe-2026" }),
      ),
    ).toEqual({
      status: 400,
      message: "Le mot de passe actuel est incorrect : le mot de passe n'a pas été changé.",
    });
    await changePassword(actor, { currentPassword: TEST_PASSWORD, password: "nouveau-mot-de-passe-2026" });
    expect(await authenticate(requestWithSession(here.id))).not.toBeNull();
    expect(await authenticate(requestWithSession(elsewhere.id))).toBeNull();
    const session = await logIn({
      email: user.email,
      password: "nouveau-mot-de-passe-2026",
      ip: "192.0.2.41",
    });
    expect(session.userId).toBe(user.id);
  });

  it("log out with an audit row", async () => {
    const user = await createUser("vilogia", ["lecteur"]);
    const session = await createSession(user);
    const cookie = `flux_session=${session.id}`;
    const { token } = await csrfToken(new Request(BASE_URL, { headers: { cookie } }));
    const response = await logoutAction({
      request: new Request(`${BASE_URL}/deconnexion`, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf: token }),
      }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(302);
    expect(await authenticate(requestWithSession(session.id))).toBeNull();
    const rows = await db
      .select({ organisationId: auditLog.organisationId })
      .from(auditLog)
      .where(and(eq(auditLog.action, "session.logout"), eq(auditLog.actorUserId, user.id)));
    expect(rows).toEqual([{ organisationId: user.organisationId }]);
  });
});
