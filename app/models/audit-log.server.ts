import { and, desc, eq, lt } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "#db/client.server";
import { auditLog, organisations, users } from "#db/schema";
import { ensureCan, reachesAll } from "#policies/guard.server";
import type { Actor } from "~/lib/actor.server";

const PAGE_SIZE = 50;

/**
 * A page of the audit log, newest first (`before` an entry's id): the whole log for those whose rule reaches every
 * organisation (MEL admins, `everything`), else the actor's organisation's entries.
 */
export async function listAuditEntries(actor: Actor, options: { before?: number } = {}) {
  ensureCan(actor.ability, "read", "AuditLog");
  const everything = reachesAll(actor.ability, "read", "AuditLog");
  const author = alias(users, "actor");
  const conditions = [
    everything ? undefined : eq(auditLog.organisationId, actor.organisation.id),
    options.before ? lt(auditLog.id, options.before) : undefined,
  ].filter((c) => c !== undefined);
  const entries = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      subjectType: auditLog.subjectType,
      subjectId: auditLog.subjectId,
      before: auditLog.before,
      after: auditLog.after,
      actorEmail: author.email,
      organisationName: organisations.name,
    })
    .from(auditLog)
    .leftJoin(author, eq(author.id, auditLog.actorUserId))
    .leftJoin(organisations, eq(organisations.id, auditLog.organisationId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(PAGE_SIZE);
  return { entries, everything };
}

export const AUDIT_PAGE_SIZE = PAGE_SIZE;
