import { and, arrayOverlaps, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { type Db, db, preparedQuery } from "#db/client.server";
import { memberships, organisations, type Role, users } from "#db/schema";
import { rolesGranting } from "#policies/ability";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import type { Action, SubjectName } from "#policies/rules";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { recordAudit } from "~/lib/audit.server";
import { endAllSessions } from "~/lib/auth.server";
import { DomainError } from "~/lib/domain-error";
import { revokeTokensOf } from "./api-tokens.server";

/** An organisation's members, active or not; another organisation's answer 404 (but for MEL admins). */
export async function listMembers(actor: Actor, organisationId: string) {
  ensureCanOn(actor.ability, "read", "Membership", { organisationId }, "Cette organisation");
  return db
    .select({
      id: memberships.id,
      organisationId: memberships.organisationId,
      userId: users.id,
      name: users.name,
      email: users.email,
      roles: memberships.roles,
      deactivatedAt: memberships.deactivatedAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organisationId, organisationId))
    .orderBy(asc(users.name));
}

/** A membership of `organisationId` (the page's) the actor may read; any other answers 404. */
export async function getMembership(actor: Actor, organisationId: string, membershipId: string) {
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.id, membershipId), eq(memberships.organisationId, organisationId)));
  return ensureCanOn(actor.ability, "read", "Membership", row, "Ce membre");
}

/** An organisation must keep an active admin, or nobody could manage it any more. */
async function ensureAnotherAdmin(tx: typeof db, organisationId: string, exceptMembershipId: string) {
  const admins = await tx
    .select({ id: memberships.id, roles: memberships.roles })
    .from(memberships)
    .where(and(eq(memberships.organisationId, organisationId), isNull(memberships.deactivatedAt)));
  if (!admins.some((m) => m.id !== exceptMembershipId && m.roles.includes("admin")))
    throw new DomainError(
      "conflict",
      "L'organisation doit garder au moins un administrateur actif : nommez-en un autre d'abord.",
    );
}

/**
 * The membership row the actor may update, locked until the end of the transaction so that two admins' changes do
 * not interleave.
 */
async function lockMembership(tx: typeof db, actor: Actor, membershipId: string) {
  const [row] = await tx.select().from(memberships).where(eq(memberships.id, membershipId)).for("update");
  return ensureCanOn(actor.ability, "update", "Membership", row, "Ce membre");
}

export async function updateRoles(actor: Actor, membershipId: string, roles: Role[]): Promise<void> {
  if (roles.length === 0)
    throw new DomainError("invalid", "Choisissez au moins un rôle, ou désactivez le membre.");
  await db.transaction(async (tx) => {
    const before = await lockMembership(tx, actor, membershipId);
    if (before.roles.includes("admin") && !roles.includes("admin"))
      await ensureAnotherAdmin(tx, before.organisationId, membershipId);
    await tx.update(memberships).set({ roles }).where(eq(memberships.id, membershipId));
    await recordAudit(tx, auditActorOf(actor), {
      action: "membership.update_roles",
      subjectType: "Membership",
      subjectId: membershipId,
      before: { roles: before.roles },
      after: { roles },
    });
    const changed =
      roles.length !== before.roles.length || roles.some((role) => !before.roles.includes(role));
    if (changed)
      await revokeTokensOf(
        tx,
        auditActorOf(actor),
        before.userId,
        "membership.update_roles",
        before.organisationId,
      );
  });
}

/**
 * Deactivates a member: they lose every right in the organisation, their sessions end at once and their API tokens
 * for it are revoked (as when their roles change: a token made with the old roles is not silently upgraded).
 */
export async function setMemberActive(actor: Actor, membershipId: string, active: boolean): Promise<void> {
  const userId = await db.transaction(async (tx) => {
    const before = await lockMembership(tx, actor, membershipId);
    if (!active) {
      if (before.deactivatedAt) throw new DomainError("conflict", "Ce membre est déjà désactivé.");
      if (before.userId === actor.user.id)
        throw new DomainError("conflict", "Vous ne pouvez pas vous désactiver vous-même.");
      if (before.roles.includes("admin")) await ensureAnotherAdmin(tx, before.organisationId, membershipId);
    } else if (!before.deactivatedAt) throw new DomainError("conflict", "Ce membre est déjà actif.");
    const deactivatedAt = active ? null : new Date();
    await tx.update(memberships).set({ deactivatedAt }).where(eq(memberships.id, membershipId));
    await recordAudit(tx, auditActorOf(actor), {
      action: active ? "membership.reactivate" : "membership.deactivate",
      subjectType: "Membership",
      subjectId: membershipId,
      before: { deactivatedAt: before.deactivatedAt },
      after: { deactivatedAt },
    });
    if (!active)
      await revokeTokensOf(
        tx,
        auditActorOf(actor),
        before.userId,
        "membership.deactivate",
        before.organisationId,
      );
    return before.userId;
  });
  if (!active) await endAllSessions(userId);
}

const activeMemberships = preparedQuery((connection) =>
  connection
    .select({
      organisation: {
        id: organisations.id,
        slug: organisations.slug,
        kind: organisations.kind,
        name: organisations.name,
      },
      roles: memberships.roles,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.userId, sql.placeholder("userId")), isNull(memberships.deactivatedAt)))
    .prepare("active_memberships_of"),
);

/** The actor's own active memberships with their organisation (whom they may act for; `GET /api/v1/me`). */
export async function activeMembershipsOf(actor: Actor) {
  ensureCanOn(actor.ability, "read", "Account", { userId: actor.user.id });
  return activeMemberships().execute({ userId: actor.user.id });
}

/**
 * For a refusal: the roles that would allow the action in the actor's organisation, and its active members who hold
 * one of them (whom to ask).
 */
export async function whoMayDo(actor: Actor, action: Action, subject: SubjectName) {
  const roles = rolesGranting(actor.organisation.kind, action, subject);
  if (roles === "any" || roles.length === 0) return { roles, members: [] };
  const rows = await activeMembersWithRoles(actor, roles);
  return { roles, members: rows.map((r) => r.name) };
}

/** The active members of the actor's organisation holding at least one of these roles, by name. */
export async function activeMembersWithRoles(actor: Actor, roles: Role[], tx: Db = db) {
  ensureCan(actor.ability, "read", "Membership");
  return tx
    .select({ id: users.id, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(holdingRoles([actor.organisation.id], roles))
    .orderBy(asc(users.name));
}

/** Active members (membership and account) of these organisations holding one of these roles (users joined). */
const holdingRoles = (organisationIds: string[], roles: Role[]) =>
  and(
    inArray(memberships.organisationId, organisationIds),
    isNull(memberships.deactivatedAt),
    isNull(users.deactivatedAt),
    arrayOverlaps(memberships.roles, roles),
  );

/**
 * The active members of these organisations holding one of these roles: whom a mail about them goes to. A part of a
 * step, read in its transaction `tx`.
 */
export async function memberEmails(
  tx: Db,
  organisationIds: string[],
  roles: Role[],
): Promise<Array<{ organisationId: string; email: string }>> {
  if (organisationIds.length === 0) return [];
  return tx
    .select({ organisationId: memberships.organisationId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(holdingRoles(organisationIds, roles));
}

/**
 * Their addresses, each once (a member of two of these organisations gets one mail); by default the gestionnaires and
 * admins, who handle the organisation's files.
 */
export async function recipients(
  tx: Db,
  organisationIds: string[],
  roles: Role[] = ["gestionnaire", "admin"],
) {
  return [...new Set((await memberEmails(tx, organisationIds, roles)).map((r) => r.email))];
}
