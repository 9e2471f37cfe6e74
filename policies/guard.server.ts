import { DomainError, notFoundError } from "~/lib/domain-error";
import { type AppAbility, asSubject } from "./ability";
import type { Action, SubjectName } from "./rules";

/**
 * A refusal of the policy, named (`required`) for the 403 page to say who may do it; app/lib/http.server.ts turns it
 * into HTTP, as every model's refusal.
 */
const forbidden = (
  action: Action,
  subject: SubjectName,
  message = "Votre rôle ne permet pas cette action.",
) => new DomainError("forbidden", message, {}, {}, { action, subject });

/** Refuses (403) unless the ability allows the action on the subject type (for creations and lists). */
export function ensureCan(
  ability: AppAbility,
  action: Action,
  subjectType: SubjectName,
  message?: string,
): void {
  if (!ability.can(action, subjectType)) throw forbidden(action, subjectType, message);
}

/**
 * Refuses a row the actor may not act on: 404 when they may not even read it (another organisation's resource
 * must not be told apart from a missing one), 403 when they may read it but not do this.
 */
export function ensureCanOn<T extends Record<string, unknown>>(
  ability: AppAbility,
  action: Action,
  subjectType: SubjectName,
  row: T | undefined,
  what?: string,
): T {
  if (!row || !ability.can("read", asSubject(subjectType, row))) throw notFoundError(what);
  if (!ability.can(action, asSubject(subjectType, row))) throw forbidden(action, subjectType);
  return row;
}

/** True when a rule grants the action on every instance (no condition): lists then skip the organisation filter. */
export function reachesAll(ability: AppAbility, action: Action, subjectType: SubjectName): boolean {
  return ability.rulesFor(action, subjectType).some((rule) => !rule.inverted && !rule.conditions);
}
