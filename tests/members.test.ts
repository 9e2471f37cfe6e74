import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { apiTokens, invitations } from "#db/schema";
import type { Actor } from "~/lib/actor.server";
import { listApiTokens, revokeApiToken } from "~/models/api-tokens.server";
import { listAuditEntries } from "~/models/audit-log.server";
import { createInvitation, pendingInvitations, revokeInvitation } from "~/models/invitations.server";
import {
  activeMembersWithRoles,
  getMembership,
  listMembers,
  setMemberActive,
  updateRoles,
} from "~/models/members.server";
import { createOrganisation, getOrganisation, listOrganisations } from "~/models/organisations.server";
import { actorOf, BASE_URL, createToken, createUser, responseError } from "./helpers/fixtures";

// Decision 0023: the members model asks the policy itself, whoever calls it.
describe("members model", () => {
  it("refuses a member's change to a non-admin (403) and hides another organisation's members (404)", async () => {
    const admin = await createUser("sia-habitat", ["admin"]);
    const colleague = await createUser("sia-habitat", ["gestionnaire"]);
    const outsider = await createUser("tisserin-habitat", ["admin"]);

    expect(
      await responseError(updateRoles(await actorOf(colleague), admin.membershipId, ["lecteur"])),
    ).toEqual({
      status: 403,
      message: "Votre rôle ne permet pas cette action.",
    });
    expect(
      await responseError(setMemberActive(await actorOf(outsider), colleague.membershipId, false)),
    ).toEqual({
      status: 404,
      message: "Ce membre est introuvable, ou vous n'y avez pas accès.",
    });

    // Their own organisation's admin may.
    await updateRoles(await actorOf(admin), colleague.membershipId, ["lecteur"]);
    await setMemberActive(await actorOf(admin), colleague.membershipId, false);
  });
});

// Issue 18: the accounts models' reads and writes check the policy themselves; another organisation's resource is
// not told apart from a missing one (404), and a list shows nothing of it.
describe("accounts models ask the policy", () => {
  it("lists and finds the members of one's own organisation only (a MEL admin: any)", async () => {
    const admin = await createUser("3f-notre-logis", ["admin"]);
    const colleague = await createUser("3f-notre-logis", ["lecteur"]);
    const outsider = await createUser("lille-metropole-habitat", ["admin"]);
    const melAdmin = await createUser("mel", ["admin"]);

    const names = (rows: Array<{ userId: string }>) => rows.map((r) => r.userId).sort();
    expect(names(await listMembers(await actorOf(colleague), colleague.organisationId))).toEqual(
      [admin.id, colleague.id].sort(),
    );
    expect(names(await listMembers(await actorOf(melAdmin), colleague.organisationId))).toEqual(
      [admin.id, colleague.id].sort(),
    );
    expect(await responseError(listMembers(await actorOf(outsider), colleague.organisationId))).toEqual({
      status: 404,
      message: "Cette organisation est introuvable, ou vous n'y avez pas accès.",
    });

    expect(
      (await getMembership(await actorOf(colleague), admin.organisationId, admin.membershipId)).userId,
    ).toBe(admin.id);
    // Another organisation's member, or one asked for through another organisation's page: 404.
    for (const [who, organisationId] of [
      [outsider, admin.organisationId],
      [melAdmin, outsider.organisationId],
    ] as const)
      expect(
        (await responseError(getMembership(await actorOf(who), organisationId, admin.membershipId))).status,
      ).toBe(404);

    expect((await activeMembersWithRoles(await actorOf(outsider), ["admin"])).map((m) => m.id)).toEqual([
      outsider.id,
    ]);
  });

  it("invites into, lists and revokes the invitations of one's own organisation only", async () => {
    const admin = await createUser("habitat-du-nord", ["admin"]);
    const reader = await createUser("habitat-du-nord", ["lecteur"]);
    const outsider = await createUser("partenord-habitat", ["admin"]);
    const organisationId = admin.organisationId;
    const invite = (who: Actor) =>
      createInvitation(who, {
        organisationId,
        email: "recrue@hdn.test",
        roles: ["lecteur"],
        baseUrl: BASE_URL,
      });

    expect((await responseError(invite(await actorOf(outsider)))).status).toBe(404);
    expect(await pendingInvitations(await actorOf(admin), organisationId)).toEqual([]);
    const { id: invitationId } = await invite(await actorOf(admin));

    expect((await pendingInvitations(await actorOf(admin), organisationId)).map((i) => i.id)).toEqual([
      invitationId,
    ]);
    expect(await pendingInvitations(await actorOf(outsider), organisationId)).toEqual([]);
    expect(await pendingInvitations(await actorOf(reader), organisationId)).toEqual([]);

    for (const [who, pageOf] of [
      [outsider, organisationId],
      [outsider, outsider.organisationId],
      [reader, organisationId],
    ] as const)
      expect(
        (await responseError(revokeInvitation(await actorOf(who), { organisationId: pageOf, invitationId })))
          .status,
      ).toBe(404);
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitationId));
    expect(row!.revokedAt).toBeNull();
  });

  it("lists and revokes one's own API tokens only", async () => {
    const owner = await createUser("vilogia", ["admin"]);
    const colleague = await createUser("vilogia", ["admin"]);
    const { id } = await createToken(owner);
    expect((await listApiTokens(await actorOf(owner))).map((t) => t.id)).toEqual([id]);
    expect(await listApiTokens(await actorOf(colleague))).toEqual([]);
    expect(await responseError(revokeApiToken(await actorOf(colleague), id))).toEqual({
      status: 404,
      message: "Ce jeton est introuvable, ou vous n'y avez pas accès.",
    });
    const [token] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(token!.revokedAt).toBeNull();
  });

  it("lets only MEL admins create an organisation, and reads the audit log of one's own organisation", async () => {
    const bailleurAdmin = await createUser("sia-habitat", ["admin"]);
    const bailleurReader = await createUser("sia-habitat", ["lecteur"]);
    const melAdmin = await createUser("mel", ["admin"]);
    expect(
      await responseError(
        createOrganisation(await actorOf(bailleurAdmin), {
          kind: "bailleur",
          name: "Intrus",
          slug: "intrus",
        }),
      ),
    ).toEqual({
      status: 403,
      message: "L'administration de la plateforme est réservée aux administrateurs de la MEL.",
    });
    expect((await listOrganisations(await actorOf(bailleurReader))).map((o) => o.slug)).not.toContain(
      "intrus",
    );
    const created = await createOrganisation(await actorOf(melAdmin), {
      kind: "bailleur",
      name: "Nouveau",
      slug: "nouveau",
    });
    expect((await getOrganisation(await actorOf(bailleurReader), created.id)).name).toBe("Nouveau");

    expect((await responseError(listAuditEntries(await actorOf(bailleurReader)))).status).toBe(403);
    const own = await listAuditEntries(await actorOf(bailleurAdmin));
    expect(own.everything).toBe(false);
    // The MEL's creation of « Nouveau » is the MEL's entry: a bailleur's admin does not see it, a MEL admin does.
    expect(own.entries.map((e) => e.subjectId)).not.toContain(created.id);
    const all = await listAuditEntries(await actorOf(melAdmin));
    expect(all.everything).toBe(true);
    expect(all.entries.map((e) => e.subjectId)).toContain(created.id);
  });
});
