import { sql } from "drizzle-orm";
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

/**
 * Writes many audit rows in the caller's transaction (jobs handling thousands of rows): each chunk is one statement
 * with one JSON parameter unpacked by the database (json_to_recordset; `before` and `after` read as json, then cast:
 * twice as fast as letting json_to_recordset make the jsonb).
 */
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
    action: entry.action,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
  }));
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = JSON.stringify(rows.slice(i, i + 5000));
    await tx.execute(
      sql`insert into ${auditLog} (actor_user_id, organisation_id, action, subject_type, subject_id, before, after)
        select ${actor.userId}::uuid, ${actor.organisationId}::uuid, r.action, r.subject_type, r.subject_id,
          r.before::jsonb, r.after::jsonb
        from json_to_recordset(${chunk}::json)
          as r(action text, subject_type text, subject_id text, before json, after json)`,
    );
  }
}
