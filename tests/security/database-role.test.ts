import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkServerRole, closeDatabase, db, queryRows } from "#db/client.server";
import { auditLog } from "#db/schema";
import { recordAudit, SYSTEM_ACTOR } from "~/lib/audit.server";

/**
 * On PostgreSQL the server connects as a role that neither owns the tables nor is a superuser (the tests' harness
 * migrates as the owner, like production): it may add rows to the audit log and the read logs and read them, never
 * change or remove one — even by going round the append-only trigger. PGlite is one user in the process that owns
 * its files: no role to separate there (decision 0014).
 */
const onPostgres = Boolean(process.env.DATABASE_OWNER_URL);
const LOGS = ["audit_log", "signalement_reads", "crib_reads", "attribution_reads"];

/** The database's error code for a statement, or "accepted". */
async function outcome(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
    return "accepted";
  } catch (error) {
    for (let e: unknown = error; e instanceof Error; e = e.cause) {
      const code = (e as { code?: string }).code;
      if (code) return code;
    }
    throw error;
  }
}

describe.runIf(onPostgres)("the server's database role", () => {
  it("is neither a superuser nor the tables' owner", async () => {
    const [role] = await queryRows<{ superuser: boolean; owner: string; me: string }>(sql`
      select r.rolsuper as superuser, t.tableowner as owner, current_user as me
      from pg_roles r, pg_tables t where r.rolname = current_user and t.tablename = 'audit_log'`);
    expect(role).toMatchObject({ superuser: false, me: "flux_app" });
    expect(role!.owner).not.toBe("flux_app");
    await expect(checkServerRole()).resolves.toBeUndefined();
  });

  it("adds and reads audit rows, but can neither change nor remove one, nor switch the triggers off", async () => {
    await recordAudit(db, SYSTEM_ACTOR, {
      action: "test.entry",
      subjectType: "Test",
      subjectId: "role",
      after: {},
    });
    const where = eq(auditLog.subjectId, "role");
    expect(await outcome(db.update(auditLog).set({ action: "falsifié" }).where(where))).toBe("42501");
    expect(await outcome(db.delete(auditLog).where(where))).toBe("42501");
    expect(await outcome(db.execute(sql`truncate audit_log`))).toBe("42501");
    expect(await outcome(db.execute(sql`set session_replication_role = replica`))).toBe("42501");
    expect(await db.select({ action: auditLog.action }).from(auditLog).where(where)).toEqual([
      { action: "test.entry" },
    ]);
  });

  it.each(LOGS)("may only INSERT and SELECT on %s", async (table) => {
    const log = sql.identifier(table);
    expect(await outcome(db.execute(sql`insert into ${log} select * from ${log} where false`))).toBe(
      "accepted",
    );
    expect(await outcome(db.execute(sql`select count(*) from ${log}`))).toBe("accepted");
    expect(await outcome(db.execute(sql`update ${log} set at = at`))).toBe("42501");
    expect(await outcome(db.execute(sql`delete from ${log}`))).toBe("42501");
  });

  it("works everywhere else: reads, writes and deletes its business tables", async () => {
    expect(await outcome(db.execute(sql`delete from calendar_feeds where false`))).toBe("accepted");
    expect(await outcome(db.execute(sql`update programmes set name = name where false`))).toBe("accepted");
  });

  it("the server refuses to start as the tables' owner", async () => {
    const serverUrl = process.env.DATABASE_URL;
    await closeDatabase();
    process.env.DATABASE_URL = process.env.DATABASE_OWNER_URL;
    try {
      await expect(checkServerRole()).rejects.toThrow(/DATABASE_OWNER_URL/);
    } finally {
      await closeDatabase();
      process.env.DATABASE_URL = serverUrl;
    }
  });
});
