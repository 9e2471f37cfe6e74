import { rulesToCondition } from "@casl/ability/extra";
import { and, not, or, type SQL, sql } from "drizzle-orm";
import type { AppAbility } from "#policies/ability";
import type { Action, SubjectName } from "#policies/rules";

/** How each condition field of the rules (`partyIds`, `organisationId`…, see `defineAbilityFor`) reads on a table. */
export type ConditionColumns = Partial<Record<string, (value: unknown) => SQL>>;

/**
 * The rows a list may return, as SQL built from the actor's own CASL rules for the action on the subject (CASL's
 * `rulesToCondition`): undefined when a rule reaches every row, `false` when none applies. A rule's field the table
 * does not map throws: a new scope in policies/rules.ts must be mapped here, not silently widen or narrow a list.
 */
export function policyWhere(
  ability: AppAbility,
  action: Action,
  subject: SubjectName,
  columns: ConditionColumns,
): SQL | undefined {
  const condition = rulesToCondition(
    ability.rulesFor(action, subject),
    (rule) => {
      const fields = Object.entries(rule.conditions ?? {}).map(([field, value]) => {
        const column = columns[field];
        if (!column) throw new Error(`${subject} : le champ « ${field} » d'une règle n'a pas de colonne.`);
        return column(value);
      });
      const all = and(...fields) ?? sql`true`;
      return rule.inverted ? not(all) : all;
    },
    {
      and: (conditions) => and(...conditions),
      or: (conditions) => or(...conditions),
      empty: () => undefined,
    },
  );
  return condition === null ? sql`false` : condition;
}
