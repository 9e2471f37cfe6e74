import { and, desc, eq, lt } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db } from "#db/client.server";
import { auditLog, organisations, users } from "#db/schema";

const PAGE_SIZE = 50;

/** A page of the audit log, newest first; `organisationId` null reads every organisation's entries. */
export async function listAuditEntries(options: { organisationId: string | null; before?: number }) {
  const actor = alias(users, "actor");
  const conditions = [
    options.organisationId ? eq(auditLog.organisationId, options.organisationId) : undefined,
    options.before ? lt(auditLog.id, options.before) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      subjectType: auditLog.subjectType,
      subjectId: auditLog.subjectId,
      before: auditLog.before,
      after: auditLog.after,
      actorEmail: actor.email,
      organisationName: organisations.name,
    })
    .from(auditLog)
    .leftJoin(actor, eq(actor.id, auditLog.actorUserId))
    .leftJoin(organisations, eq(organisations.id, auditLog.organisationId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(PAGE_SIZE);
}

export const AUDIT_PAGE_SIZE = PAGE_SIZE;
