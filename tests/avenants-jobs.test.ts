import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, queryRows } from "#db/client.server";
import { auditLog, avenants, emailOutbox, organisations } from "#db/schema";
import { avenantDeadline } from "~/domain/deadline";
import { runJobs } from "~/jobs/run.server";
import { createUser, organisation, seedOnce } from "./helpers/fixtures";

/**
 * Two job passes at once over 1 000 due letters: each is tacitly accepted exactly once, one audit entry and one
 * e-mail each (the MEL's only signataire is the only recipient: no bailleur has a signataire here).
 */
const YEARS = 53;

beforeAll(async () => {
  await seedOnce();
  await createUser("mel", ["signataire"], { email: "signataire@mel.test" });
  const mel = await organisation("mel");
  const bailleurs = await db.select().from(organisations).where(eq(organisations.kind, "bailleur"));
  const sentAt = new Date("2026-01-15T09:00:00Z");
  const deadline = avenantDeadline(sentAt);
  const rows = bailleurs.flatMap((b) =>
    Array.from({ length: YEARS }, (_, i) => ({
      reservataireId: mel.id,
      bailleurId: b.id,
      year: 2030 + i,
      rateBp: 2000,
      fluxH: 500,
      rights: 100,
      status: "sent" as const,
      sentAt,
      deadlineEndsAt: deadline.endsAt,
      deadlineLastDay: deadline.lastDay,
    })),
  );
  for (let i = 0; i < rows.length; i += 500) await db.insert(avenants).values(rows.slice(i, i + 500));
});

describe("tacit acceptance job", () => {
  it("accepts each of 1 000+ due letters exactly once, with one e-mail each, when two passes run at once", async () => {
    const [total] = await queryRows<{ count: number }>(sql`select count(*)::int as count from avenants`);
    const count = total!.count;
    expect(count).toBeGreaterThanOrEqual(1000);
    const now = new Date("2026-03-16T00:00:00Z");
    await Promise.all([runJobs(now), runJobs(now)]);
    const statuses = await queryRows<{ status: string; n: number }>(
      sql`select status, count(*)::int as n from avenants group by status`,
    );
    expect(statuses).toEqual([{ status: "tacitly_accepted", n: count }]);
    const audits = await queryRows<{ subject_id: string; n: number }>(
      sql`select subject_id, count(*)::int as n from audit_log where action = 'avenant.tacit_acceptance' group by subject_id`,
    );
    expect(audits).toHaveLength(count);
    expect(audits.every((a) => a.n === 1)).toBe(true);
    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.to, "signataire@mel.test"));
    expect(mails).toHaveLength(count);
    const ids = await db.select({ id: avenants.id }).from(avenants);
    const mentioned = new Set(mails.map((m) => /#([0-9a-f-]{36})/.exec(m.text)![1]));
    expect(mentioned.size).toBe(count);
    for (const { id } of ids) expect(mentioned.has(id)).toBe(true);
    // A third pass finds nothing left to do.
    await runJobs(now);
    expect(await db.select().from(emailOutbox)).toHaveLength(count);
    expect(
      await db.select().from(auditLog).where(eq(auditLog.action, "avenant.tacit_acceptance")),
    ).toHaveLength(count);
  });
});
