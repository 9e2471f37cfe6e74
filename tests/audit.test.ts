import { asc, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditLog } from "#db/schema";
import { recordAudit, SYSTEM_ACTOR } from "~/lib/audit.server";
import { createApiToken, revokeApiToken } from "~/models/api-tokens.server";
import { setMemberActive, updateRoles } from "~/models/members.server";
import { createOrganisation } from "~/models/organisations.server";
import { asOwner, refusal } from "./helpers/database";
import { actorOf, createUser } from "./helpers/fixtures";

async function rowsFor(subjectId: string) {
  return db.select().from(auditLog).where(eq(auditLog.subjectId, subjectId)).orderBy(asc(auditLog.id));
}

describe("audit log", () => {
  it("records who, acting for which organisation, what, and the roles before and after", async () => {
    const mel = await createUser("mel", ["admin"]);
    const member = await createUser("habitat-du-nord", ["lecteur"]);
    await updateRoles(await actorOf(mel), member.membershipId, ["gestionnaire", "signataire"]);
    const [row] = await rowsFor(member.membershipId);
    expect(row).toMatchObject({
      actorUserId: mel.id,
      organisationId: mel.organisationId, // the organisation the actor acts for (the MEL), not the member's
      action: "membership.update_roles",
      subjectType: "Membership",
      before: { roles: ["lecteur"] },
      after: { roles: ["gestionnaire", "signataire"] },
    });
    expect(row!.at).toBeInstanceOf(Date);
    expect(Math.abs(row!.at.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("records deactivation and reactivation of a member", async () => {
    const admin = await createUser("maisons-et-cites", ["admin"]);
    const member = await createUser("maisons-et-cites", ["gestionnaire"]);
    await setMemberActive(await actorOf(admin), member.membershipId, false);
    await setMemberActive(await actorOf(admin), member.membershipId, true);
    const rows = await rowsFor(member.membershipId);
    expect(rows.map((r) => [r.action, r.actorUserId, r.organisationId])).toEqual([
      ["membership.deactivate", admin.id, admin.organisationId],
      ["membership.reactivate", admin.id, admin.organisationId],
    ]);
    expect(rows[0]!.before).toEqual({ deactivatedAt: null });
    expect((rows[0]!.after as { deactivatedAt: string }).deactivatedAt).toEqual(expect.any(String));
    expect(rows[1]!.after).toEqual({ deactivatedAt: null });
  });

  it("records organisations and API tokens, and a refused change leaves no row", async () => {
    const mel = await createUser("mel", ["admin"]);
    const org = await createOrganisation(await actorOf(mel), {
      kind: "bailleur",
      name: "Nouveau Bailleur",
      slug: "nouveau-bailleur",
    });
    expect(await rowsFor(org.id)).toMatchObject([
      {
        action: "organisation.create",
        actorUserId: mel.id,
        after: { kind: "bailleur", name: "Nouveau Bailleur", slug: "nouveau-bailleur" },
      },
    ]);
    const [before] = await db.select({ n: count() }).from(auditLog);
    await expect(
      createOrganisation(await actorOf(mel), { kind: "bailleur", name: "Doublon", slug: "nouveau-bailleur" }),
    ).rejects.toMatchObject({ kind: "conflict" });
    const [after] = await db.select({ n: count() }).from(auditLog);
    expect(after!.n).toBe(before!.n);

    const { id } = await createApiToken(await actorOf(mel), { name: "ERP", scope: "read" });
    await revokeApiToken(await actorOf(mel), id);
    expect((await rowsFor(id)).map((r) => r.action)).toEqual(["api_token.create", "api_token.revoke"]);
  });

  it("refuses UPDATE, DELETE and TRUNCATE at the database level, even to the tables' owner", async () => {
    await recordAudit(db, SYSTEM_ACTOR, {
      action: "test.entry",
      subjectType: "Test",
      subjectId: "immuable",
      after: { a: 1 },
    });
    // On PostgreSQL the server's role has no such right at all (tests/security/database-role.test.ts): the trigger
    // is the owner's guard.
    await asOwner(async (owner) => {
      const run = (statement: string) => owner.execute(sql.raw(statement));
      expect(
        await refusal(run(`UPDATE audit_log SET action = 'falsifié' WHERE subject_id = 'immuable'`)),
      ).toMatch(/append-only \(UPDATE refused\)/);
      expect(await refusal(run(`DELETE FROM audit_log WHERE subject_id = 'immuable'`))).toMatch(
        /append-only \(DELETE refused\)/,
      );
      expect(await refusal(run("DELETE FROM audit_log"))).toMatch(/append-only/);
      expect(await refusal(run("TRUNCATE audit_log"))).toMatch(/append-only \(TRUNCATE refused\)/);
    });
    expect(
      await refusal(db.update(auditLog).set({ after: null }).where(eq(auditLog.subjectId, "immuable"))),
    ).toMatch(/append-only|permission denied for table audit_log/);
    expect(await rowsFor("immuable")).toMatchObject([{ action: "test.entry", after: { a: 1 } }]);
  });
});
