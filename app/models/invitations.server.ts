import { and, eq, gt, isNull } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import { invitations, memberships, organisations, type Role, users } from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import { invitationMail } from "#emails/templates";
import { type AuditActor, recordAudit } from "~/lib/audit.server";
import { hashPassword, normaliseEmail } from "~/lib/auth.server";
import { formatParis } from "~/lib/dates";
import { httpError } from "~/lib/http.server";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { ROLE_LABELS } from "~/lib/validation";

const INVITATION_VALIDITY_MS = 7 * 24 * 3600_000;

/** Invites someone into an organisation: one row, one mail in the outbox, one audit entry, in one transaction. */
export async function createInvitation(
  actor: AuditActor & { name: string },
  input: { organisationId: string; email: string; roles: Role[]; baseUrl: string; now?: Date },
): Promise<{ id: string; token: string }> {
  const now = input.now ?? new Date();
  const email = normaliseEmail(input.email);
  const token = generateToken();
  return db.transaction(async (tx) => {
    const [organisation] = await tx
      .select()
      .from(organisations)
      .where(eq(organisations.id, input.organisationId));
    if (!organisation) throw httpError(404, "Organisation introuvable.");
    const [alreadyMember] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(users.email, email), eq(memberships.organisationId, organisation.id)));
    if (alreadyMember)
      throw httpError(
        409,
        `${email} est déjà membre de ${organisation.name} : modifiez ses rôles dans la liste.`,
      );
    const expiresAt = new Date(now.getTime() + INVITATION_VALIDITY_MS);
    const [invitation] = await tx
      .insert(invitations)
      .values({
        organisationId: organisation.id,
        email,
        roles: input.roles,
        tokenHash: hashToken(token),
        invitedBy: actor.userId,
        expiresAt,
        createdAt: now,
      })
      .returning({ id: invitations.id });
    await enqueueMail(
      tx,
      invitationMail({
        to: email,
        organisationName: organisation.name,
        inviterName: actor.name,
        roles: input.roles.map((r) => ROLE_LABELS[r]),
        url: `${input.baseUrl}/invitation/${token}`,
        expiresOn: formatParis(expiresAt),
      }),
    );
    await recordAudit(tx, actor, {
      action: "invitation.create",
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
    throw httpError(
      404,
      "Ce lien d'invitation est inconnu. Vérifiez qu'il est complet, ou demandez une nouvelle invitation.",
    );
  const { invitation } = row;
  if (invitation.acceptedAt)
    throw httpError(410, "Cette invitation a déjà été utilisée. Connectez-vous avec votre compte.");
  if (invitation.revokedAt)
    throw httpError(410, "Cette invitation a été annulée par l'administrateur de l'organisation.");
  if (invitation.expiresAt <= now)
    throw httpError(
      410,
      `Cette invitation a expiré le ${formatParis(invitation.expiresAt)}. Demandez-en une nouvelle.`,
    );
  return row;
}

/**
 * Accepts an invitation: creates the account (or reuses the one with that e-mail) and the membership.
 * Single use even when two requests race: the row is claimed with a conditional update.
 */
export async function acceptInvitation(
  token: string,
  input: { name: string; password: string },
  now = new Date(),
): Promise<{ userId: string; organisationId: string }> {
  await findUsableInvitation(token, now);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx: Db) => {
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
      throw httpError(410, "Cette invitation a déjà été utilisée. Connectez-vous avec votre compte.");
    const [existing] = await tx.select().from(users).where(eq(users.email, claimed.email));
    const user =
      existing ??
      (
        await tx.insert(users).values({ email: claimed.email, name: input.name, passwordHash }).returning()
      )[0]!;
    if (existing && !existing.passwordHash)
      await tx.update(users).set({ passwordHash }).where(eq(users.id, existing.id));
    await tx
      .insert(memberships)
      .values({ userId: user.id, organisationId: claimed.organisationId, roles: claimed.roles })
      .onConflictDoUpdate({
        target: [memberships.userId, memberships.organisationId],
        set: { roles: claimed.roles, deactivatedAt: null },
      });
    await recordAudit(
      tx,
      { userId: user.id, organisationId: claimed.organisationId },
      {
        action: "invitation.accept",
        subjectType: "Membership",
        subjectId: user.id,
        after: { email: claimed.email, roles: claimed.roles },
      },
    );
    return { userId: user.id, organisationId: claimed.organisationId };
  });
}

export async function revokeInvitation(actor: AuditActor, invitationId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(
        and(eq(invitations.id, invitationId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
      )
      .returning();
    if (!row) throw httpError(409, "Cette invitation a déjà été acceptée ou annulée.");
    await recordAudit(tx, actor, {
      action: "invitation.revoke",
      subjectType: "Invitation",
      subjectId: row.id,
    });
  });
}

export async function pendingInvitations(organisationId: string, now = new Date()) {
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

export async function getInvitation(invitationId: string) {
  const [row] = await db.select().from(invitations).where(eq(invitations.id, invitationId));
  return row;
}
