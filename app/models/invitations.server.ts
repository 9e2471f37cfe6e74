import { and, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import { invitations, memberships, organisations, type Role, users } from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import { invitationMail } from "#emails/templates";
import { asSubject } from "#policies/ability";
import { ensureCanOn } from "#policies/guard.server";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { recordAudit } from "~/lib/audit.server";
import { hashPassword, normaliseEmail } from "~/lib/auth.server";
import { formatParis } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { ROLE_LABELS } from "~/lib/validation";

const INVITATION_VALIDITY_MS = 7 * 24 * 3600_000;

/**
 * Invites someone into an organisation: one row, one mail in the outbox, one audit entry, in one transaction. An
 * address has one pending invitation per organisation: inviting it again renews that one (new link, roles and
 * expiry; the old link stops working).
 */
export async function createInvitation(
  actor: Actor,
  input: { organisationId: string; email: string; roles: Role[]; baseUrl: string; now?: Date },
): Promise<{ id: string; token: string }> {
  ensureCanOn(actor.ability, "create", "Invitation", { organisationId: input.organisationId });
  const now = input.now ?? new Date();
  const email = normaliseEmail(input.email);
  const token = generateToken();
  return db.transaction(async (tx) => {
    const [organisation] = await tx
      .select()
      .from(organisations)
      .where(eq(organisations.id, input.organisationId));
    if (!organisation) throw new DomainError("not_found", "Organisation introuvable.");
    const [alreadyMember] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(users.email, email), eq(memberships.organisationId, organisation.id)));
    if (alreadyMember)
      throw new DomainError(
        "conflict",
        `${email} est déjà membre de ${organisation.name} : modifiez ses rôles dans la liste.`,
      );
    const expiresAt = new Date(now.getTime() + INVITATION_VALIDITY_MS);
    const renewal = { roles: input.roles, tokenHash: hashToken(token), invitedBy: actor.user.id, expiresAt };
    const [invitation] = await tx
      .insert(invitations)
      .values({ organisationId: organisation.id, email, createdAt: now, ...renewal })
      .onConflictDoUpdate({
        target: [invitations.organisationId, invitations.email],
        targetWhere: sql`accepted_at is null and revoked_at is null`,
        set: renewal,
      })
      .returning({ id: invitations.id, createdAt: invitations.createdAt });
    await enqueueMail(
      tx,
      invitationMail({
        to: email,
        organisationName: organisation.name,
        inviterName: actor.user.name,
        roles: input.roles.map((r) => ROLE_LABELS[r]),
        url: `${input.baseUrl}/invitation/${token}`,
        expiresOn: formatParis(expiresAt),
      }),
    );
    await recordAudit(tx, auditActorOf(actor), {
      action: invitation!.createdAt.getTime() === now.getTime() ? "invitation.create" : "invitation.renew",
      subjectType: "Invitation",
      subjectId: invitation!.id,
      after: { email, roles: input.roles, organisationId: organisation.id },
    });
    return { id: invitation!.id, token };
  });
}

/** A usable invitation for this token, or a French reason why not (unknown, used, revoked, expired). */
export async function findUsableInvitation(token: string, now = new Date()) {
  const [row] = await db
    .select({ invitation: invitations, organisationName: organisations.name })
    .from(invitations)
    .innerJoin(organisations, eq(organisations.id, invitations.organisationId))
    .where(eq(invitations.tokenHash, hashToken(token)));
  if (!row)
    throw new DomainError(
      "not_found",
      "Ce lien d'invitation est inconnu. Vérifiez qu'il est complet, ou demandez une nouvelle invitation.",
    );
  const { invitation } = row;
  if (invitation.acceptedAt)
    throw new DomainError("gone", "Cette invitation a déjà été utilisée. Connectez-vous avec votre compte.");
  if (invitation.revokedAt)
    throw new DomainError("gone", "Cette invitation a été annulée par l'administrateur de l'organisation.");
  if (invitation.expiresAt <= now)
    throw new DomainError(
      "gone",
      `Cette invitation a expiré le ${formatParis(invitation.expiresAt)}. Demandez-en une nouvelle.`,
    );
  const [account] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, invitation.email), isNotNull(users.passwordHash)));
  return { ...row, hasAccount: Boolean(account) };
}

const alreadyHasAccount = (organisationName: string) =>
  new DomainError(
    "conflict",
    `Vous avez déjà un compte : connectez-vous pour rejoindre ${organisationName}.`,
  );

/** Claims the invitation (single use even when two requests race) and makes the membership, in the caller's tx. */
async function claimInvitation(tx: Db, token: string, userId: string, now: Date) {
  const [claimed] = await tx
    .update(invitations)
    .set({ acceptedAt: now })
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .returning();
  if (!claimed)
    throw new DomainError("gone", "Cette invitation a déjà été utilisée. Connectez-vous avec votre compte.");
  await tx
    .insert(memberships)
    .values({ userId, organisationId: claimed.organisationId, roles: claimed.roles })
    .onConflictDoUpdate({
      target: [memberships.userId, memberships.organisationId],
      set: { roles: claimed.roles, deactivatedAt: null },
    });
  await recordAudit(
    tx,
    { userId, organisationId: claimed.organisationId },
    {
      action: "invitation.accept",
      subjectType: "Membership",
      subjectId: userId,
      after: { email: claimed.email, roles: claimed.roles },
    },
  );
  return { userId, organisationId: claimed.organisationId };
}

/**
 * Joins an organisation with an account one already has: the person is signed in as the invited address (the
 * invitation's link alone does not prove they own that account).
 */
export async function joinWithInvitation(
  token: string,
  actor: { user: { id: string; email: string } },
  now = new Date(),
): Promise<{ userId: string; organisationId: string }> {
  const { invitation } = await findUsableInvitation(token, now);
  if (invitation.email !== actor.user.email)
    throw new DomainError(
      "forbidden",
      `Cette invitation est adressée à ${invitation.email} : déconnectez-vous, puis connectez-vous avec ce compte.`,
    );
  return db.transaction((tx) => claimInvitation(tx, token, actor.user.id, now));
}

/**
 * Accepts an invitation by creating the account and the membership. An address that already has an account signs
 * in and joins instead (`joinWithInvitation`): a password typed here would otherwise be silently ignored.
 */
export async function acceptInvitation(
  token: string,
  input: { name: string; password: string },
  now = new Date(),
): Promise<{ userId: string; organisationId: string }> {
  const { organisationName, hasAccount } = await findUsableInvitation(token, now);
  if (hasAccount) throw alreadyHasAccount(organisationName);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx: Db) => {
    const [pending] = await tx
      .select({ email: invitations.email })
      .from(invitations)
      .where(eq(invitations.tokenHash, hashToken(token)));
    const [existing] = await tx.select().from(users).where(eq(users.email, pending!.email));
    if (existing?.passwordHash) throw alreadyHasAccount(organisationName);
    // An account without a password (made by the seed or an import) gets the one chosen here.
    const [user] = existing
      ? await tx.update(users).set({ passwordHash }).where(eq(users.id, existing.id)).returning()
      : await tx.insert(users).values({ email: pending!.email, name: input.name, passwordHash }).returning();
    return claimInvitation(tx, token, user!.id, now);
  });
}

/** Revokes a pending invitation of `organisationId` (the page's): one of another organisation answers 404. */
export async function revokeInvitation(
  actor: Actor,
  input: { organisationId: string; invitationId: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [found] = await tx
      .select()
      .from(invitations)
      .where(
        and(eq(invitations.id, input.invitationId), eq(invitations.organisationId, input.organisationId)),
      )
      .for("update");
    const row = ensureCanOn(actor.ability, "delete", "Invitation", found, "Cette invitation");
    if (row.acceptedAt || row.revokedAt)
      throw new DomainError("conflict", "Cette invitation a déjà été acceptée ou annulée.");
    await tx.update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.id, row.id));
    await recordAudit(tx, auditActorOf(actor), {
      action: "invitation.revoke",
      subjectType: "Invitation",
      subjectId: row.id,
    });
  });
}

/** An organisation's pending invitations; none for whom may not read them. */
export async function pendingInvitations(actor: Actor, organisationId: string, now = new Date()) {
  if (!actor.ability.can("read", asSubject("Invitation", { organisationId }))) return [];
  return db
    .select({
      id: invitations.id,
      organisationId: invitations.organisationId,
      email: invitations.email,
      roles: invitations.roles,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.organisationId, organisationId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    );
}
