import {
  AbilityBuilder,
  createMongoAbility,
  type ForcedSubject,
  type MongoAbility,
  subject,
} from "@casl/ability";
import type { OrganisationKind, Role } from "#db/schema";
import { type Action, PERMISSION_RULES, type PermissionRule, type SubjectName } from "./rules";

type Subject = SubjectName | (ForcedSubject<SubjectName> & Record<string, unknown>);
export type AppAbility = MongoAbility<[Action, Subject]>;

/** What a policy needs to know of the person acting: who, for which organisation, with which roles. */
export type PolicyActor = {
  userId: string;
  organisationId: string;
  kind: OrganisationKind;
  roles: Role[];
};

function applies(rule: PermissionRule, actor: PolicyActor): boolean {
  const kindMatches = rule.kinds === "any" || rule.kinds.includes(actor.kind);
  const roleMatches = rule.roles === "any" || rule.roles.some((role) => actor.roles.includes(role));
  return kindMatches && roleMatches;
}

/** The CASL ability of a user acting for one organisation; default deny, built from `PERMISSION_RULES`. */
export function defineAbilityFor(actor: PolicyActor | null): AppAbility {
  // Built untyped (string subjects carry no shape for conditions to check against), typed once at the end.
  const { can, build } = new AbilityBuilder<MongoAbility>(createMongoAbility);
  if (actor) {
    for (const rule of PERMISSION_RULES.filter((r) => applies(r, actor))) {
      if (rule.scope === "all") can(rule.actions, rule.subject);
      else if (rule.scope === "own_organisation")
        can(rule.actions, rule.subject, { organisationId: actor.organisationId });
      else if (rule.scope === "own_user") can(rule.actions, rule.subject, { userId: actor.userId });
      // An array field containing the actor's organisation: rows it is party to.
      else if (rule.scope === "party") can(rule.actions, rule.subject, { partyIds: actor.organisationId });
      // Rows of a published assiette.
      else can(rule.actions, rule.subject, { published: true });
    }
  }
  return build() as AppAbility;
}

/** Rebuilds an ability from serialised rules (sent by the root loader so that pages can hide what is forbidden). */
export function abilityFromRules(rules: AppAbility["rules"]): AppAbility {
  return createMongoAbility<AppAbility>(rules);
}

/** Tags a copy of a row with its subject type, so that conditions apply to it (CASL marks the object it is given). */
export function asSubject(type: SubjectName, row: object): Subject {
  return subject(type, { ...row } as Record<string, unknown>);
}

/**
 * The roles that grant the action on the subject in an organisation of this kind, whatever the scope: "any" when
 * every role does, none when no role does (the organisation's kind is then the reason). For the 403 page.
 */
export function rolesGranting(kind: OrganisationKind, action: Action, subject: SubjectName): Role[] | "any" {
  const rules = PERMISSION_RULES.filter(
    (r) =>
      r.subject === subject && r.actions.includes(action) && (r.kinds === "any" || r.kinds.includes(kind)),
  );
  if (rules.some((r) => r.roles === "any")) return "any";
  return [...new Set(rules.flatMap((r) => r.roles as Role[]))];
}
