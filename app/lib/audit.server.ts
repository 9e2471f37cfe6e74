import type { Db } from "#db/client.server";
import { auditLog } from "#db/schema";

/** Who did it, acting for which organisation (null for the system: jobs, seed). */
export type AuditActor = { userId: string | null; organisationId: string | null };

export const SYSTEM_ACTOR: AuditActor = { userId: null, organisationId: null };

/** Writes one audit row; call it inside the transaction of the change it records. */
export async function recordAudit(
  tx: Db,
  actor: AuditActor,
  entry: {
    action: string;
    subjectType: string;
    subjectId?: string | null;
    before?: unknown;
    after?: unknown;
  },
): Promise<void> {
  await tx.insert(auditLog).values({
    actorUserId: actor.userId,
    organisationId: actor.organisationId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

/** Writes many audit rows in one statement (jobs handling thousands of rows), in the caller's transaction. */
export async function recordAudits(
  tx: Db,
  actor: AuditActor,
  entries: Array<{
    action: string;
    subjectType: string;
    subjectId?: string | null;
    before?: unknown;
    after?: unknown;
  }>,
): Promise<void> {
  const rows = entries.map((entry) => ({
    actorUserId: actor.userId,
    organisationId: actor.organisationId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  }));
  for (let i = 0; i < rows.length; i += 1000) await tx.insert(auditLog).values(rows.slice(i, i + 1000));
}
