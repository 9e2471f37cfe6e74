import { describe, expect, it } from "vitest";
import { ORGANISATION_KINDS, type OrganisationKind, ROLES, type Role } from "#db/schema";
import { asSubject, defineAbilityFor, type PolicyActor } from "#policies/ability";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { ACTIONS, type Action, SUBJECTS, type SubjectName } from "#policies/rules";

/**
 * The permission table as the product wants it (DESIGN §4 and the admin issue), written independently of
 * `PERMISSION_RULES`: for each "Subject:action", which "kind:role" may do it on a row of their own organisation
 * (for ApiToken: their own token) and on a row of another organisation (ApiToken: someone else's token).
 */
type Who = { own: string[]; other: string[] };

const EVERYONE = ORGANISATION_KINDS.flatMap((kind) => ROLES.map((role) => `${kind}:${role}`));
const ADMINS = ORGANISATION_KINDS.map((kind) => `${kind}:admin`);
const MEL_ADMIN = ["metropole:admin"];
const NOBODY: Who = { own: [], other: [] };

const EXPECTED: Record<`${SubjectName}:${Action}`, Who> = {
  "Organisation:read": { own: EVERYONE, other: EVERYONE },
  "Organisation:create": { own: MEL_ADMIN, other: MEL_ADMIN },
  "Organisation:update": { own: MEL_ADMIN, other: MEL_ADMIN },
  "Organisation:delete": NOBODY,

  "Membership:read": { own: EVERYONE, other: MEL_ADMIN },
  "Membership:create": { own: ADMINS, other: MEL_ADMIN },
  "Membership:update": { own: ADMINS, other: MEL_ADMIN },
  "Membership:delete": { own: ADMINS, other: MEL_ADMIN },

  "Invitation:read": { own: ADMINS, other: MEL_ADMIN },
  "Invitation:create": { own: ADMINS, other: MEL_ADMIN },
  "Invitation:update": NOBODY,
  "Invitation:delete": { own: ADMINS, other: MEL_ADMIN },

  "AuditLog:read": { own: ADMINS, other: MEL_ADMIN },
  "AuditLog:create": NOBODY,
  "AuditLog:update": NOBODY,
  "AuditLog:delete": NOBODY,

  "ApiToken:read": { own: EVERYONE, other: [] },
  "ApiToken:create": { own: EVERYONE, other: [] },
  "ApiToken:update": NOBODY,
  "ApiToken:delete": { own: EVERYONE, other: [] },

  "EmailOutbox:read": { own: MEL_ADMIN, other: MEL_ADMIN },
  "EmailOutbox:create": NOBODY,
  "EmailOutbox:update": NOBODY,
  "EmailOutbox:delete": NOBODY,
};

const ME = "00000000-0000-4000-8000-000000000001";
const COLLEAGUE = "00000000-0000-4000-8000-000000000002";
const MY_ORG = "00000000-0000-4000-8000-0000000000a1";
const OTHER_ORG = "00000000-0000-4000-8000-0000000000b2";

const actorOf = (kind: OrganisationKind, roles: Role[]): PolicyActor => ({
  userId: ME,
  organisationId: MY_ORG,
  kind,
  roles,
});

/** Rows an actor may meet: of their organisation / of another one (for ApiToken: their own token / someone else's). */
function rows(subject: SubjectName, which: "own" | "other"): Record<string, unknown>[] {
  switch (subject) {
    case "Organisation":
      return [{ id: which === "own" ? MY_ORG : OTHER_ORG, kind: "bailleur" }];
    case "ApiToken":
      // Someone else's token, whether a colleague's in the same organisation or a stranger's elsewhere.
      return which === "own"
        ? [{ id: "t1", userId: ME, organisationId: MY_ORG }]
        : [
            { id: "t2", userId: COLLEAGUE, organisationId: MY_ORG },
            { id: "t3", userId: COLLEAGUE, organisationId: OTHER_ORG },
          ];
    case "EmailOutbox":
      return [{ id: "m1", to: "quelqu.un@exemple.fr" }];
    default:
      return [{ id: "r1", userId: COLLEAGUE, organisationId: which === "own" ? MY_ORG : OTHER_ORG }];
  }
}

describe("permission table: every kind × role × subject × action × own/other", () => {
  it("covers every subject and action", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(
      SUBJECTS.flatMap((s) => ACTIONS.map((a) => `${s}:${a}`)).sort(),
    );
    expect(ORGANISATION_KINDS).toHaveLength(8);
    expect(ROLES).toHaveLength(4);
  });

  const cases = ORGANISATION_KINDS.flatMap((kind) => ROLES.map((role) => [kind, role] as const));
  it.each(cases)("%s × %s", (kind, role) => {
    const ability = defineAbilityFor(actorOf(kind, [role]));
    const mismatches: string[] = [];
    for (const subject of SUBJECTS) {
      for (const action of ACTIONS) {
        for (const which of ["own", "other"] as const) {
          const expected = EXPECTED[`${subject}:${action}`][which].includes(`${kind}:${role}`);
          for (const row of rows(subject, which)) {
            const actual = ability.can(action, asSubject(subject, row));
            if (actual !== expected)
              mismatches.push(
                `${subject}:${action} on ${which} ${JSON.stringify(row)}: expected ${expected}, got ${actual}`,
              );
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("grants the union of a member's roles (MEL lecteur + admin administers every organisation)", () => {
    const ability = defineAbilityFor(actorOf("metropole", ["lecteur", "admin"]));
    expect(ability.can("update", asSubject("Membership", { organisationId: OTHER_ORG }))).toBe(true);
    expect(ability.can("read", asSubject("EmailOutbox", {}))).toBe(true);
    const bailleur = defineAbilityFor(actorOf("bailleur", ["gestionnaire", "signataire"]));
    expect(bailleur.can("create", asSubject("Invitation", { organisationId: MY_ORG }))).toBe(false);
    expect(bailleur.can("read", asSubject("Membership", { organisationId: MY_ORG }))).toBe(true);
  });

  it("denies everything to someone without a membership (null actor)", () => {
    const ability = defineAbilityFor(null);
    for (const subject of SUBJECTS) {
      for (const action of ACTIONS) {
        expect(ability.can(action, subject)).toBe(false);
        for (const which of ["own", "other"] as const)
          for (const row of rows(subject, which))
            expect(ability.can(action, asSubject(subject, row))).toBe(false);
      }
    }
  });

  it("gives a member with no role only what every member has (directory, own members, own tokens)", () => {
    // `roles: "any"` rules are membership rules: they do not need a role. Forms never create a roles-less member
    // (rolesField requires one), but if one exists it must not get more than a lecteur.
    const none = defineAbilityFor(actorOf("metropole", []));
    const lecteur = defineAbilityFor(actorOf("metropole", ["lecteur"]));
    for (const subject of SUBJECTS)
      for (const action of ACTIONS)
        for (const which of ["own", "other"] as const)
          for (const row of rows(subject, which))
            expect(none.can(action, asSubject(subject, row)), `${subject}:${action} ${which}`).toBe(
              lecteur.can(action, asSubject(subject, row)),
            );
    expect(none.can("read", asSubject("Organisation", { id: OTHER_ORG }))).toBe(true);
    expect(none.can("create", asSubject("Organisation", {}))).toBe(false);
    expect(none.can("read", asSubject("AuditLog", { organisationId: MY_ORG }))).toBe(false);
  });
});

describe("guards", () => {
  const bailleurAdmin = defineAbilityFor(actorOf("bailleur", ["admin"]));
  const bailleurLecteur = defineAbilityFor(actorOf("bailleur", ["lecteur"]));

  it("ensureCan refuses with 403 and a French message", async () => {
    expect(() => ensureCan(bailleurAdmin, "create", "Invitation")).not.toThrow();
    let thrown: unknown;
    try {
      ensureCan(bailleurLecteur, "create", "Invitation");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(403);
    expect(((await (thrown as Response).json()) as { message: string }).message).toBe(
      "Votre rôle ne permet pas cette action.",
    );
  });

  it("ensureCanOn answers 404 for another organisation's row and 403 for a readable row one may not change", async () => {
    const foreign = { id: "i1", organisationId: OTHER_ORG };
    const mine = { id: "m1", organisationId: MY_ORG };
    const status = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as Response).status;
      }
      return 200;
    };
    expect(status(() => ensureCanOn(bailleurAdmin, "delete", "Invitation", foreign))).toBe(404);
    expect(status(() => ensureCanOn(bailleurAdmin, "delete", "Invitation", undefined))).toBe(404);
    expect(status(() => ensureCanOn(bailleurLecteur, "update", "Membership", mine))).toBe(403);
    expect(ensureCanOn(bailleurAdmin, "update", "Membership", mine)).toBe(mine);
    let thrown: unknown;
    try {
      ensureCanOn(bailleurAdmin, "read", "Membership", { id: "m2", organisationId: OTHER_ORG }, "Ce membre");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect(((await (thrown as Response).json()) as { message: string }).message).toBe(
      "Ce membre est introuvable, ou vous n'y avez pas accès.",
    );
  });
});
