import { forbidden, notFound } from "~/lib/http.server";
import { type AppAbility, asSubject } from "./ability";
import type { Action, SubjectName } from "./rules";

/** Throws 403 unless the ability allows the action on the subject type (for creations and lists). */
export function ensureCan(
  ability: AppAbility,
  action: Action,
  subjectType: SubjectName,
  message?: string,
): void {
  if (!ability.can(action, subjectType)) throw forbidden(message, { action, subject: subjectType });
}

/**
 * Throws for a row the actor may not act on: 404 when they may not even read it (another organisation's resource
 * must not be told apart from a missing one), 403 when they may read it but not do this.
 */
export function ensureCanOn<T extends Record<string, unknown>>(
  ability: AppAbility,
  action: Action,
  subjectType: SubjectName,
  row: T | undefined,
  what?: string,
): T {
  if (!row || !ability.can("read", asSubject(subjectType, row))) throw notFound(what);
  if (!ability.can(action, asSubject(subjectType, row)))
    throw forbidden(undefined, { action, subject: subjectType });
  return row;
}

/** True when a rule grants the action on every instance (no condition): lists then skip the organisation filter. */
export function reachesAll(ability: AppAbility, action: Action, subjectType: SubjectName): boolean {
  return ability.rulesFor(action, subjectType).some((rule) => !rule.inverted && !rule.conditions);
}
