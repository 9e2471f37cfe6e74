import { and, desc, eq, gt, ne } from "drizzle-orm";
import { db } from "#db/client.server";
import { sessions, users } from "#db/schema";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { recordAudit } from "~/lib/audit.server";
import { hashPassword, verifyPassword } from "~/lib/auth.server";
import { DomainError } from "~/lib/domain-error";

/** The actor's open sessions, newest first; the id itself (a secret) never leaves the server. */
export async function listSessions(actor: Actor, now = new Date()) {
  ensureCan(actor.ability, "read", "Account");
  const rows = await db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      ip: sessions.ip,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, actor.user.id), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
  return rows.map(({ id, ...row }) => ({ ...row, current: id === actor.sessionId }));
}

/**
 * Changes the actor's password: the current one is required (a session left open is not enough), and every other
 * session is closed, as someone else may be using one.
 */
export async function changePassword(
  actor: Actor,
  input: { currentPassword: string; password: string },
): Promise<void> {
  ensureCanOn(actor.ability, "update", "Account", { userId: actor.user.id });
  if (actor.via !== "session" || !actor.sessionId)
    throw new DomainError("forbidden", "Connectez-vous au portail.");
  const [user] = await db.select().from(users).where(eq(users.id, actor.user.id));
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword)))
    throw new DomainError(
      "invalid",
      "Le mot de passe actuel est incorrect : le mot de passe n'a pas été changé.",
      {
        currentPassword: "Mot de passe actuel incorrect.",
      },
    );
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, actor.sessionId!)));
    await recordAudit(tx, auditActorOf(actor), {
      action: "user.change_password",
      subjectType: "User",
      subjectId: user.id,
    });
  });
}

/** « Se déconnecter partout »: closes every session of the actor, this one included. */
export async function logOutEverywhere(actor: Actor): Promise<void> {
  ensureCanOn(actor.ability, "update", "Account", { userId: actor.user.id });
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.userId, actor.user.id));
    await recordAudit(tx, auditActorOf(actor), {
      action: "session.logout_everywhere",
      subjectType: "User",
      subjectId: actor.user.id,
    });
  });
}
