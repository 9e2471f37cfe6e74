import { describe, expect, it } from "vitest";
import { setMemberActive, updateRoles } from "~/models/members.server";
import { actorOf, createUser, responseError } from "./helpers/fixtures";

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
