import { count, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditLog, emailOutbox, invitations, memberships, passwordResets, users } from "#db/schema";
import { htmlOf } from "#emails/templates";
import { authenticate } from "~/lib/actor.server";
import { LoginError, logIn } from "~/lib/auth.server";
import {
  acceptInvitation,
  createInvitation,
  findUsableInvitation,
  joinWithInvitation,
  revokeInvitation,
} from "~/models/invitations.server";
import { checkResetToken, requestPasswordReset, resetPassword } from "~/models/password-resets.server";
import { loader as invitationLoader } from "~/routes/invitation.$token";
import { outcome } from "./helpers/clients";
import { actorOf, BASE_URL, createUser, requestAs, responseError, TEST_PASSWORD } from "./helpers/fixtures";

const NEW_PASSWORD = "un-nouveau-mot-de-passe-solide";

async function counts() {
  const [i] = await db.select({ n: count() }).from(invitations);
  const [o] = await db.select({ n: count() }).from(emailOutbox);
  const [a] = await db.select({ n: count() }).from(auditLog);
  const [u] = await db.select({ n: count() }).from(users);
  const [m] = await db.select({ n: count() }).from(memberships);
  return { invitations: i!.n, outbox: o!.n, audit: a!.n, users: u!.n, memberships: m!.n };
}

async function mailsTo(email: string) {
  return db.select().from(emailOutbox).where(eq(emailOutbox.to, email)).orderBy(desc(emailOutbox.createdAt));
}

const tokenFromLink = (text: string, path: string) => {
  const match = text.match(new RegExp(`${BASE_URL}/${path}/([A-Za-z0-9_-]+)`));
  if (!match) throw new Error(`no ${path} link in: ${text}`);
  return match[1]!;
};

async function invite(
  slug: string,
  email: string,
  roles: Parameters<typeof createInvitation>[1]["roles"],
  now?: Date,
) {
  const admin = await createUser(slug, ["admin"]);
  const result = await createInvitation(await actorOf(admin), {
    organisationId: admin.organisationId,
    email,
    roles,
    baseUrl: BASE_URL,
    now,
  });
  return { admin, ...result };
}

describe("invitations", () => {
  it("writes the invitation, one outbox mail with the accept link, and an audit row", async () => {
    const before = await counts();
    const { admin, id, token } = await invite("vilogia", "nouvelle.recrue@vilogia.test", [
      "gestionnaire",
      "signataire",
    ]);
    const after = await counts();
    expect(after.invitations - before.invitations).toBe(1);
    expect(after.outbox - before.outbox).toBe(1);
    expect(after.audit - before.audit).toBe(1);

    const [invitation] = await db.select().from(invitations).where(eq(invitations.id, id));
    expect(invitation).toMatchObject({
      organisationId: admin.organisationId,
      email: "nouvelle.recrue@vilogia.test",
      roles: ["gestionnaire", "signataire"],
      invitedBy: admin.id,
    });
    expect(invitation!.tokenHash).not.toContain(token); // only the hash is stored

    const [mail] = await mailsTo("nouvelle.recrue@vilogia.test");
    expect(mail!.subject).toBe("Invitation au portail partenaires — Vilogia");
    expect(mail!.text).toContain(`${BASE_URL}/invitation/${token}`);
    expect(htmlOf(mail!.text)).toContain(
      `<a href="${BASE_URL}/invitation/${token}">Accepter l&#39;invitation</a>`,
    );
    expect(mail!.text).toContain("Gestionnaire, Signataire");
    expect(mail!.text).toContain(admin.name);

    const [audit] = await db.select().from(auditLog).where(eq(auditLog.subjectId, id));
    expect(audit).toMatchObject({
      action: "invitation.create",
      actorUserId: admin.id,
      organisationId: admin.organisationId,
    });
  });

  it("refuses to invite an existing member (409) and writes nothing, not even the mail", async () => {
    const admin = await createUser("norevie", ["admin"]);
    const member = await createUser("norevie", ["lecteur"]);
    const before = await counts();
    const error = await responseError(
      createInvitation(await actorOf(admin), {
        organisationId: admin.organisationId,
        email: member.email,
        roles: ["admin"],
        baseUrl: BASE_URL,
      }),
    );
    expect(error.status).toBe(409);
    expect(error.message).toBe(
      `${member.email} est déjà membre de Norévie : modifiez ses rôles dans la liste.`,
    );
    expect(await counts()).toEqual(before);
  });

  it("rolls back the invitation and its mail when the audit insert fails", async () => {
    const admin = await createUser("norevie", ["admin"]);
    const melAdmin = await actorOf(await createUser("mel", ["admin"]));
    const before = await counts();
    // A MEL admin may invite into any organisation; an acting-organisation id that is not a uuid is then only used
    // by the audit insert, the last step: it fails after the invitation and the mail were written in the same
    // transaction.
    await expect(
      createInvitation(
        { ...melAdmin, organisation: { ...melAdmin.organisation, id: "pas-un-uuid" } },
        {
          organisationId: admin.organisationId,
          email: "rollback@norevie.test",
          roles: ["lecteur"],
          baseUrl: BASE_URL,
        },
      ),
    ).rejects.toThrow();
    expect(await counts()).toEqual(before);
    expect(await mailsTo("rollback@norevie.test")).toEqual([]);
  });

  it("accepting creates the account and the membership with the invited roles; the person can then log in", async () => {
    const { admin, token } = await invite("clesence", "Camille.Martin@clesence.test".toLowerCase(), [
      "gestionnaire",
      "lecteur",
    ]);
    const { userId, organisationId } = await acceptInvitation(token, {
      name: "Camille Martin",
      password: NEW_PASSWORD,
    });
    expect(organisationId).toBe(admin.organisationId);
    const [membership] = await db.select().from(memberships).where(eq(memberships.userId, userId));
    expect(membership).toMatchObject({
      organisationId: admin.organisationId,
      roles: ["gestionnaire", "lecteur"],
      deactivatedAt: null,
    });
    const session = await logIn({
      email: "camille.martin@clesence.test",
      password: NEW_PASSWORD,
      ip: "10.9.0.1",
    });
    expect(session.organisationId).toBe(admin.organisationId);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "invitation.accept"));
    expect(audit).toMatchObject({
      actorUserId: userId,
      organisationId: admin.organisationId,
      subjectType: "Membership",
    });
  });

  it("is single use: a second accept answers 410 in French and changes nothing", async () => {
    const { token } = await invite("sigh", "une.fois@sigh.test", ["lecteur"]);
    await acceptInvitation(token, { name: "Une Fois", password: NEW_PASSWORD });
    const before = await counts();
    const error = await responseError(
      acceptInvitation(token, { name: "Autre Nom", password: "encore-un-autre-mot-de-passe" }),
    );
    expect(error).toEqual({
      status: 410,
      message: "Cette invitation a déjà été utilisée. Connectez-vous avec votre compte.",
    });
    expect(await counts()).toEqual(before);
    // The first password still works, the second was not set.
    expect(
      (await logIn({ email: "une.fois@sigh.test", password: NEW_PASSWORD, ip: "10.9.0.2" })).userId,
    ).toBeTruthy();
  });

  it("has expired 8 days later (410, with the expiry date in French)", async () => {
    const createdAt = new Date("2026-02-02T10:00:00Z");
    const { token } = await invite("promocil", "tard@promocil.test", ["lecteur"], createdAt);
    const eightDaysLater = new Date(createdAt.getTime() + 8 * 24 * 3600_000);
    const error = await responseError(
      acceptInvitation(token, { name: "Trop Tard", password: NEW_PASSWORD }, eightDaysLater),
    );
    expect(error).toEqual({
      status: 410,
      message: "Cette invitation a expiré le 9 février 2026 à 11:00. Demandez-en une nouvelle.",
    });
    expect(await db.select().from(users).where(eq(users.email, "tard@promocil.test"))).toEqual([]);
    // Six days later it was still fine.
    await expect(
      findUsableInvitation(token, new Date(createdAt.getTime() + 6 * 24 * 3600_000)),
    ).resolves.toBeTruthy();
  });

  it("cannot be used once revoked (410)", async () => {
    const { admin, id, token } = await invite("logifim", "annulee@logifim.test", ["lecteur"]);
    const revoke = { organisationId: admin.organisationId, invitationId: id };
    await revokeInvitation(await actorOf(admin), revoke);
    const error = await responseError(acceptInvitation(token, { name: "Annulée", password: NEW_PASSWORD }));
    expect(error).toEqual({
      status: 410,
      message: "Cette invitation a été annulée par l'administrateur de l'organisation.",
    });
    expect(await db.select().from(users).where(eq(users.email, "annulee@logifim.test"))).toEqual([]);
    // The link's page answers HTTP 410 (the model's refusal goes through the one mapping).
    const page = invitationLoader({
      request: new Request(`${BASE_URL}/invitation/${token}`),
      params: { token },
      context: {},
    });
    expect(await outcome(page)).toEqual({ status: 410 });
    expect((await responseError(revokeInvitation(await actorOf(admin), revoke))).status).toBe(409);
  });

  it("answers 404 for an unknown token", async () => {
    const error = await responseError(acceptInvitation("inconnu", { name: "X", password: NEW_PASSWORD }));
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/inconnu/);
  });
});

describe("invitations of an existing account, and invitations renewed", () => {
  it("asks an existing user to sign in and join, never for a password it would ignore", async () => {
    const existing = await createUser("vilogia", ["gestionnaire"]);
    const { token, admin } = await invite("commune-59350", existing.email, ["lecteur"]);
    expect((await findUsableInvitation(token)).hasAccount).toBe(true);
    expect(await responseError(acceptInvitation(token, { name: "X", password: NEW_PASSWORD }))).toEqual({
      status: 409,
      message: `Vous avez déjà un compte : connectez-vous pour rejoindre ${(await findUsableInvitation(token)).organisationName}.`,
    });
    // Someone else signed in cannot take it.
    const stranger = await authenticate(await requestAs(admin));
    expect((await responseError(joinWithInvitation(token, stranger!))).status).toBe(403);

    const actor = await authenticate(await requestAs(existing));
    const joined = await joinWithInvitation(token, actor!);
    expect(joined.organisationId).toBe(admin.organisationId);
    const rows = await db.select().from(memberships).where(eq(memberships.userId, existing.id));
    expect(rows.map((m) => m.roles).sort()).toEqual([["gestionnaire"], ["lecteur"]]);
    // The old password still works, as it should: nobody typed a new one.
    expect((await logIn({ email: existing.email, password: TEST_PASSWORD, ip: "10.9.1.1" })).userId).toBe(
      existing.id,
    );
  });

  it("keeps one pending invitation per address and organisation: a second invite renews the first", async () => {
    const { admin, token: first } = await invite("urh", "deux.fois@urh.test", ["lecteur"]);
    const again = await createInvitation(await actorOf(admin), {
      organisationId: admin.organisationId,
      email: "deux.fois@urh.test",
      roles: ["gestionnaire"],
      baseUrl: BASE_URL,
    });
    const pending = await db.select().from(invitations).where(eq(invitations.email, "deux.fois@urh.test"));
    expect(pending.map((i) => i.roles)).toEqual([["gestionnaire"]]);
    expect((await responseError(findUsableInvitation(first))).status).toBe(404);
    await findUsableInvitation(again.token);
    const actions = await db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.subjectId, pending[0]!.id));
    expect(actions.map((a) => a.action)).toEqual(["invitation.create", "invitation.renew"]);
  });
});

describe("password resets", () => {
  async function requestReset(email: string, now?: Date) {
    await requestPasswordReset(email, BASE_URL, { now });
    const [mail] = await mailsTo(email);
    return { mail: mail!, token: tokenFromLink(mail!.text, "reinitialiser") };
  }

  it("queues a mail for an existing account, and nothing (no error) for an unknown e-mail", async () => {
    const user = await createUser("urh", ["gestionnaire"]);
    const { mail } = await requestReset(user.email);
    expect(mail.subject).toBe("Réinitialisation de votre mot de passe");
    expect(htmlOf(mail.text)).toContain(`<a href="${BASE_URL}/reinitialiser/`);
    const before = await counts();
    await expect(requestPasswordReset("personne@inconnu.test", BASE_URL)).resolves.toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it("works once, ends existing sessions, and the old password stops working", async () => {
    const user = await createUser("etat", ["signataire"]);
    const request = await requestAs(user);
    expect(await authenticate(request)).not.toBeNull();
    const { token } = await requestReset(user.email);
    await checkResetToken(token);
    await resetPassword(token, NEW_PASSWORD);
    expect(await authenticate(request.clone())).toBeNull();
    expect((await logIn({ email: user.email, password: NEW_PASSWORD, ip: "10.8.0.1" })).userId).toBe(user.id);
    await expect(
      logIn({ email: user.email, password: TEST_PASSWORD, ip: "10.8.0.2" }),
    ).rejects.toBeInstanceOf(LoginError);

    const again = await responseError(resetPassword(token, "encore-un-autre-mot-de-passe"));
    expect(again.status).toBe(410);
    expect(again.message).toBe(
      "Ce lien de réinitialisation est inconnu, déjà utilisé ou expiré (il vaut une heure). Demandez-en un nouveau.",
    );
    expect((await logIn({ email: user.email, password: NEW_PASSWORD, ip: "10.8.0.3" })).userId).toBe(user.id);
  });

  it("expires after one hour (410)", async () => {
    const user = await createUser("departement-nord", ["lecteur"]);
    const requestedAt = new Date("2026-05-05T08:00:00Z");
    const { token, mail } = await requestReset(user.email, requestedAt);
    expect(mail.text).toContain("jusqu'à 11:00"); // 10:00 Paris (CEST) + 1 hour
    const [row] = await db.select().from(passwordResets).where(eq(passwordResets.userId, user.id));
    expect(row!.expiresAt.toISOString()).toBe("2026-05-05T09:00:00.000Z");
    const late = new Date(requestedAt.getTime() + 3600_000 + 1000);
    expect((await responseError(checkResetToken(token, late))).status).toBe(410);
    expect((await responseError(resetPassword(token, NEW_PASSWORD, late))).status).toBe(410);
    // Still usable 59 minutes in.
    await resetPassword(token, NEW_PASSWORD, new Date(requestedAt.getTime() + 59 * 60_000));
  });
});
