import type { OrganisationKind, Role } from "#db/schema";

export const ACTIONS = ["read", "create", "update", "delete"] as const;
export type Action = (typeof ACTIONS)[number];

export const SUBJECTS = [
  "Organisation",
  "Membership",
  "Invitation",
  "AuditLog",
  "ApiToken",
  "EmailOutbox",
] as const;
export type SubjectName = (typeof SUBJECTS)[number];

/**
 * Which instances a rule reaches: every one, those of the acting organisation, or those of the user.
 * Resources carry `organisationId` / `userId`, which the conditions below match.
 */
export type Scope = "all" | "own_organisation" | "own_user";

export type PermissionRule = {
  subject: SubjectName;
  actions: Action[];
  kinds: OrganisationKind[] | "any";
  roles: Role[] | "any";
  scope: Scope;
  /** Why the rule exists, in one line (DESIGN §4). */
  why: string;
};

/**
 * The whole permission table. Anything not granted here is denied.
 * Later modules add their rows; `tests/policies.test.ts` walks every kind × role × subject × action.
 */
export const PERMISSION_RULES: PermissionRule[] = [
  {
    subject: "Organisation",
    actions: ["read"],
    kinds: "any",
    roles: "any",
    scope: "all",
    why: "L'annuaire des partenaires est visible de tous les membres.",
  },
  {
    subject: "Organisation",
    actions: ["create", "update"],
    kinds: ["metropole"],
    roles: ["admin"],
    scope: "all",
    why: "La MEL exploite la plateforme et gère les organisations.",
  },
  {
    subject: "Membership",
    actions: ["read"],
    kinds: "any",
    roles: "any",
    scope: "own_organisation",
    why: "Chacun voit les membres de son organisation.",
  },
  {
    subject: "Membership",
    actions: ["create", "update", "delete"],
    kinds: "any",
    roles: ["admin"],
    scope: "own_organisation",
    why: "L'administrateur d'une organisation gère ses membres.",
  },
  {
    subject: "Membership",
    actions: ["read", "create", "update", "delete"],
    kinds: ["metropole"],
    roles: ["admin"],
    scope: "all",
    why: "Les administrateurs de la MEL administrent la plateforme (premier administrateur de chaque organisation).",
  },
  {
    subject: "Invitation",
    actions: ["read", "create", "delete"],
    kinds: "any",
    roles: ["admin"],
    scope: "own_organisation",
    why: "L'administrateur d'une organisation invite ses collègues.",
  },
  {
    subject: "Invitation",
    actions: ["read", "create", "delete"],
    kinds: ["metropole"],
    roles: ["admin"],
    scope: "all",
    why: "Les administrateurs de la MEL invitent le premier administrateur de chaque organisation.",
  },
  {
    subject: "AuditLog",
    actions: ["read"],
    kinds: "any",
    roles: ["admin"],
    scope: "own_organisation",
    why: "L'administrateur d'une organisation lit le journal de son organisation.",
  },
  {
    subject: "AuditLog",
    actions: ["read"],
    kinds: ["metropole"],
    roles: ["admin"],
    scope: "all",
    why: "Les administrateurs de la MEL lisent tout le journal de la plateforme.",
  },
  {
    subject: "ApiToken",
    actions: ["read", "create", "delete"],
    kinds: "any",
    roles: "any",
    scope: "own_user",
    why: "Chacun gère ses propres jetons d'API.",
  },
  {
    subject: "EmailOutbox",
    actions: ["read"],
    kinds: ["metropole"],
    roles: ["admin"],
    scope: "all",
    why: "Sans SMTP, les courriels restent dans la boîte d'envoi, lisible par les administrateurs de la MEL.",
  },
];
