import { eq, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { attributions } from "#db/schema";
import { defineAbilityFor } from "#policies/ability";
import { policyWhere } from "~/lib/policy-sql.server";

// policyWhere turns the actor's own rules into SQL: what each scope of policies/rules.ts becomes in a list's WHERE.
const ORG = "00000000-0000-4000-8000-0000000000aa";
const ability = (kind: "metropole" | "bailleur" | "urh") =>
  defineAbilityFor({
    userId: "00000000-0000-4000-8000-000000000001",
    organisationId: ORG,
    kind,
    roles: ["lecteur"],
  });
const party = { partyIds: (id: unknown) => eq(attributions.bailleurId, id as string) };
const text = (condition: SQL | undefined) => {
  if (condition === undefined) return undefined;
  const { sql, params } = new PgDialect().sqlToQuery(condition);
  return { sql, params };
};

describe("policyWhere: the rules as SQL", () => {
  it("no condition when a rule reaches every row (the MEL reads every attribution)", () => {
    expect(policyWhere(ability("metropole"), "read", "Attribution", party)).toBeUndefined();
  });

  it("the actor's party condition, on the columns the list maps (a bailleur's attributions)", () => {
    expect(text(policyWhere(ability("bailleur"), "read", "Attribution", party))).toEqual({
      sql: '"attributions"."bailleur_id" = $1',
      params: [ORG],
    });
  });

  it("no row when no rule applies (the URH reads no attribution)", () => {
    expect(text(policyWhere(ability("urh"), "read", "Attribution", party))).toEqual({
      sql: "false",
      params: [],
    });
  });

  it("refuses a rule's field the list does not map, rather than widen or narrow the list", () => {
    expect(() => policyWhere(ability("bailleur"), "read", "Attribution", {})).toThrow(/partyIds/);
  });
});
