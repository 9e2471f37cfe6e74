import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { apiTokens, auditLog } from "#db/schema";
import { authenticate, requireApiActor } from "~/lib/actor.server";
import { apiTokenSchema } from "~/lib/validation";
import { createApiToken } from "~/models/api-tokens.server";
import { setMemberActive, updateRoles } from "~/models/members.server";
import { requestPasswordReset, resetPassword } from "~/models/password-resets.server";
import { action as accountAction } from "~/routes/_app.compte";
import { loader as meLoader } from "~/routes/api.v1.me";
import { action as signalementsAction } from "~/routes/api.v1.signalements";
import { type ApiCaller, callApi } from "../helpers/api";
import {
  actorOf,
  BASE_URL,
  createToken,
  createUser,
  lastLinkMailedTo,
  requestWithBearer,
  responseError,
  type TestUser,
} from "../helpers/fixtures";

const caller = async (user: TestUser, scope: "read" | "write"): Promise<ApiCaller> => ({
  ...user,
  token: (await createToken(user, "ERP", scope)).token,
});

const tokensOf = (userId: string) => db.select().from(apiTokens).where(eq(apiTokens.userId, userId));
const REVOKED = {
  status: 401,
  message: "Jeton d'API invalide, expiré ou révoqué. Créez-en un nouveau depuis « Mon compte ».",
};

describe("API tokens", () => {
  it("open /api/v1 only: a page sees nobody, and the token alone cannot mint another one", async () => {
    const user = await createUser("vilogia", ["gestionnaire"]);
    const { token } = await createToken(user);
    expect((await requireApiActor(requestWithBearer(token, "/api/v1/me"))).user.id).toBe(user.id);
    expect(await authenticate(requestWithBearer(token, "/compte"))).toBeNull();

    const mint = requestWithBearer(token, "/compte", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "create-token", name: "Second", scope: "write" }).toString(),
    });
    const refused = await Promise.resolve(
      accountAction({ request: mint, params: {}, context: {} } as never),
    ).catch((thrown: unknown) => thrown);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).headers.get("location")).toMatch(/^\/connexion/);
    expect(await tokensOf(user.id)).toHaveLength(1);

    // The model refuses a token's actor too, whoever calls it.
    expect(
      await responseError(
        createApiToken({ ...(await actorOf(user)), via: "token" }, { name: "Second", scope: "read" }),
      ),
    ).toEqual({
      status: 403,
      message: "Un jeton d'API ne peut pas en créer un autre : connectez-vous au portail.",
    });
  });

  it("have a scope: a read token reads, and gets a French 403 on a write that a write token may attempt", async () => {
    const user = await createUser("commune-59350", ["gestionnaire"]);
    const reader = await caller(user, "read");
    const writer = await caller(user, "write");
    expect((await callApi(reader, meLoader)).status).toBe(200);
    expect(await callApi(reader, signalementsAction, { path: "/signalements", body: {} })).toEqual({
      status: 403,
      body: {
        message:
          "Ce jeton d'API est en lecture seule : créez dans « Mon compte » un jeton « lecture et écriture » pour modifier des données.",
      },
    });
    // The write token reaches the handler, which checks the body.
    expect((await callApi(writer, signalementsAction, { path: "/signalements", body: {} })).status).toBe(400);
  });

  it("expire: 90 days by default, a year at most, refused once expired", async () => {
    expect(apiTokenSchema.parse({ name: "ERP", scope: "read" }).expiresInDays).toBe(90);
    expect(
      apiTokenSchema.safeParse({ name: "ERP", scope: "read", expiresInDays: "366" }).error?.issues[0]
        ?.message,
    ).toBe("365 jours (un an) au plus.");
    const user = await createUser("vilogia", ["lecteur"]);
    const now = new Date();
    const { token, expiresAt } = await createApiToken(await actorOf(user), {
      name: "Vieux",
      scope: "read",
      now: new Date(now.getTime() - 90 * 86_400_000 - 1000),
    });
    expect(expiresAt.getTime()).toBeLessThan(now.getTime());
    expect(await responseError(requireApiActor(requestWithBearer(token)))).toEqual(REVOKED);
  });

  it("record their last use, and their use in the audit log once an hour", async () => {
    const user = await createUser("vilogia", ["lecteur"]);
    const { id, token } = await createToken(user, "ERP", "read");
    const uses = async () =>
      (
        await db
          .select({ n: count() })
          .from(auditLog)
          .where(and(eq(auditLog.subjectId, id), eq(auditLog.action, "api_token.use")))
      )[0]!.n;
    await requireApiActor(requestWithBearer(token), { ip: "192.0.2.5" });
    await requireApiActor(requestWithBearer(token), { ip: "192.0.2.5" });
    const [row] = await tokensOf(user.id);
    expect(row!.lastUsedAt).not.toBeNull();
    expect(await uses()).toBe(1);
    // An hour later, the next use is recorded again.
    await db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(Date.now() - 3600_000 - 1000) })
      .where(eq(apiTokens.id, id));
    await requireApiActor(requestWithBearer(token), { ip: "192.0.2.5" });
    expect(await uses()).toBe(2);
  });

  it("are revoked by a password reset", async () => {
    const user = await createUser("vilogia", ["gestionnaire"]);
    const { token } = await createToken(user);
    await requestPasswordReset(user.email, BASE_URL, { ip: "192.0.2.6" });
    await resetPassword(await lastLinkMailedTo(user.email, "reinitialiser"), "un-tout-nouveau-mot-de-passe");
    expect(await responseError(requireApiActor(requestWithBearer(token)))).toEqual(REVOKED);
  });

  it("are revoked when their owner's roles change or the membership is deactivated", async () => {
    const admin = await createUser("sigh", ["admin"]);
    const user = await createUser("sigh", ["lecteur"]);
    const first = await createToken(user);
    await updateRoles(await actorOf(admin), user.membershipId, ["lecteur"]); // no change: the token lives
    expect((await requireApiActor(requestWithBearer(first.token))).user.id).toBe(user.id);
    await updateRoles(await actorOf(admin), user.membershipId, ["gestionnaire"]);
    expect(await responseError(requireApiActor(requestWithBearer(first.token)))).toEqual(REVOKED);

    const second = await createToken(user);
    await setMemberActive(await actorOf(admin), user.membershipId, false);
    await setMemberActive(await actorOf(admin), user.membershipId, true);
    expect(await responseError(requireApiActor(requestWithBearer(second.token)))).toEqual(REVOKED);
  });
});
