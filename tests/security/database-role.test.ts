import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { checkServerRole, closeDatabase, db, queryRows } from "#db/client.server";
import { auditLog } from "#db/schema";
import { recordAudit, SYSTEM_ACTOR } from "~/lib/audit.server";
import { asOwner, refusal } from "../helpers/database";

/**
 * On PostgreSQL the server connects as a role that neither owns the tables nor is a superuser (the tests' harness
 * migrates as the owner, like production): it may add rows to the audit log and the read logs and read them, never
 * change or remove one — even by going round the append-only triggers. PGlite is one user in the process that owns
 * its files: no role to separate there (decision 0014); the triggers guard it, and the owner on PostgreSQL.
 */
const onPostgres = Boolean(process.env.DATABASE_OWNER_URL);
const LOGS = ["audit_log", "signalement_reads", "crib_reads", "attribution_reads"];
const DENIED = /permission denied/;

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
    expect(await refusal(db.update(auditLog).set({ action: "falsifié" }).where(where))).toMatch(DENIED);
    expect(await refusal(db.delete(auditLog).where(where))).toMatch(DENIED);
    expect(await refusal(db.execute(sql`truncate audit_log`))).toMatch(DENIED);
    expect(await refusal(db.execute(sql`set session_replication_role = replica`))).toMatch(DENIED);
    expect(await db.select({ action: auditLog.action }).from(auditLog).where(where)).toEqual([
      { action: "test.entry" },
    ]);
  });

  it.each(LOGS)("may only INSERT and SELECT on %s", async (table) => {
    const log = sql.identifier(table);
    expect(await refusal(db.execute(sql`insert into ${log} select * from ${log} where false`))).toBe(
      "accepted",
    );
    expect(await refusal(db.execute(sql`select count(*) from ${log}`))).toBe("accepted");
    expect(await refusal(db.execute(sql`update ${log} set at = at`))).toMatch(DENIED);
    expect(await refusal(db.execute(sql`delete from ${log}`))).toMatch(DENIED);
  });

  it("works everywhere else: reads, writes and deletes its business tables", async () => {
    expect(await refusal(db.execute(sql`delete from calendar_feeds where false`))).toBe("accepted");
    expect(await refusal(db.execute(sql`update programmes set name = name where false`))).toBe("accepted");
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

describe("the read logs", () => {
  it.each(LOGS.slice(1))(
    "%s refuses UPDATE, DELETE and TRUNCATE even to the tables' owner",
    async (table) => {
      await asOwner(async (owner) => {
        const run = (statement: string) => owner.execute(sql.raw(statement));
        expect(await refusal(run(`insert into ${table} select * from ${table} where false`))).toBe(
          "accepted",
        );
        for (const statement of [`update ${table} set at = at`, `delete from ${table}`, `truncate ${table}`])
          expect(await refusal(run(statement))).toMatch(new RegExp(`${table} is append-only`));
      });
    },
  );
});
