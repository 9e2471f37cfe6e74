import { describe, expect, it } from "vitest";
import { ORGANISATION_KINDS, type OrganisationKind, ROLES, type Role } from "#db/schema";
import { asSubject, defineAbilityFor, type PolicyActor } from "#policies/ability";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { ACTIONS, type Action, SUBJECTS, type SubjectName } from "#policies/rules";
import { type AttributionContingent, attributionPolicyRow } from "~/domain/attribution";
import { DomainError } from "~/lib/domain-error";

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
const ALL_OF = (kind: OrganisationKind) => ROLES.map((role) => `${kind}:${role}`);
const NOT_COMMUNES = ORGANISATION_KINDS.filter((k) => k !== "commune").flatMap(ALL_OF);
const RESERVATAIRES: OrganisationKind[] = ["metropole", "etat", "departement", "action_logement", "sicf"];
const COMITE_DE_SUIVI = (["metropole", "etat", "departement", "urh"] as const).flatMap(ALL_OF);

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

  "Account:read": { own: EVERYONE, other: [] },
  "Account:create": NOBODY,
  "Account:update": { own: EVERYONE, other: [] },
  "Account:delete": NOBODY,

  "EmailOutbox:read": { own: MEL_ADMIN, other: MEL_ADMIN },
  "EmailOutbox:create": NOBODY,
  "EmailOutbox:update": { own: MEL_ADMIN, other: MEL_ADMIN },
  "EmailOutbox:delete": NOBODY,

  // Yearly cycle (issue 3). "own" forecast: of my organisation, not published; "other": another's, not published
  // (published rows are walked in their own test below). "own" avenant: a letter my organisation is party to.
  "Forecast:read": {
    own: [...ALL_OF("bailleur"), ...ALL_OF("etat"), ...ALL_OF("metropole"), ...ALL_OF("urh")],
    other: [...ALL_OF("etat"), ...ALL_OF("metropole"), ...ALL_OF("urh")],
  },
  "Forecast:create": { own: ["bailleur:gestionnaire", "bailleur:signataire"], other: [] },
  "Forecast:update": {
    own: ["bailleur:gestionnaire", "bailleur:signataire", "etat:gestionnaire", "etat:signataire"],
    other: ["etat:gestionnaire", "etat:signataire"],
  },
  "Forecast:delete": NOBODY,

  "Assiette:read": { own: NOT_COMMUNES, other: NOT_COMMUNES },
  "Assiette:create": NOBODY,
  "Assiette:update": {
    own: ["etat:gestionnaire", "etat:signataire"],
    other: ["etat:gestionnaire", "etat:signataire"],
  },
  "Assiette:delete": NOBODY,

  // Issue 13: the next version of a published assiette, with its reason (the État only).
  "AssietteRectificatif:read": NOBODY,
  "AssietteRectificatif:create": {
    own: ["etat:gestionnaire", "etat:signataire"],
    other: ["etat:gestionnaire", "etat:signataire"],
  },
  "AssietteRectificatif:update": NOBODY,
  "AssietteRectificatif:delete": NOBODY,

  "NegotiatedRate:read": {
    own: [
      ...ALL_OF("departement"),
      ...ALL_OF("action_logement"),
      ...ALL_OF("sicf"),
      ...ALL_OF("bailleur"),
      ...ALL_OF("commune"),
      ...ALL_OF("metropole"),
      ...ALL_OF("etat"),
      ...ALL_OF("urh"),
    ],
    other: [...ALL_OF("metropole"), ...ALL_OF("etat"), ...ALL_OF("urh")],
  },
  // Nobody sets a rate alone: it comes from a convention both parties signed.
  "NegotiatedRate:create": NOBODY,
  "NegotiatedRate:update": NOBODY,
  "NegotiatedRate:delete": NOBODY,

  "Avenant:read": { own: [...RESERVATAIRES.flatMap(ALL_OF), ...ALL_OF("bailleur")], other: [] },
  "Avenant:create": {
    own: RESERVATAIRES.flatMap((k) => [`${k}:gestionnaire`, `${k}:signataire`]),
    other: [],
  },
  "Avenant:update": {
    own: RESERVATAIRES.flatMap((k) => [`${k}:gestionnaire`, `${k}:signataire`]),
    other: [],
  },
  "Avenant:delete": NOBODY,

  "AvenantSending:read": NOBODY,
  "AvenantSending:create": { own: RESERVATAIRES.map((k) => `${k}:signataire`), other: [] },
  "AvenantSending:update": NOBODY,
  "AvenantSending:delete": NOBODY,

  "AvenantAnswer:read": NOBODY,
  "AvenantAnswer:create": { own: ["bailleur:signataire"], other: [] },
  "AvenantAnswer:update": NOBODY,
  "AvenantAnswer:delete": NOBODY,

  // Contests of H: every letter's, whoever its parties ("own" and "other" alike).
  "AvenantAssietteAnswer:read": {
    own: ["etat:gestionnaire", "etat:signataire"],
    other: ["etat:gestionnaire", "etat:signataire"],
  },
  "AvenantAssietteAnswer:create": {
    own: ["etat:gestionnaire", "etat:signataire"],
    other: ["etat:gestionnaire", "etat:signataire"],
  },
  "AvenantAssietteAnswer:update": NOBODY,
  "AvenantAssietteAnswer:delete": NOBODY,

  // Signalements (issue 4). "own": a signalement my organisation is party to (its commune or an addressed
  // bailleur); "other": one between another commune and another bailleur — only the MEL reads it.
  "Signalement:read": {
    own: [...ALL_OF("commune"), ...ALL_OF("bailleur"), ...ALL_OF("metropole")],
    other: ALL_OF("metropole"),
  },
  "Signalement:create": { own: ["commune:gestionnaire", "commune:admin"], other: [] },
  "Signalement:update": {
    own: ["commune:gestionnaire", "commune:admin", "bailleur:gestionnaire", "bailleur:admin"],
    other: [],
  },
  "Signalement:delete": NOBODY,

  // CRIB list. "own" case: of a published session; "other": of a session not yet published (MEL only).
  // "own" answer: my organisation's; "other": another bailleur's.
  "CribCase:read": {
    own: [...ALL_OF("metropole"), ...ALL_OF("urh"), ...ALL_OF("bailleur")],
    other: ALL_OF("metropole"),
  },
  "CribCase:create": {
    own: ["metropole:gestionnaire", "metropole:admin"],
    other: ["metropole:gestionnaire", "metropole:admin"],
  },
  "CribCase:update": {
    own: ["metropole:gestionnaire", "metropole:admin", "urh:gestionnaire", "urh:admin"],
    other: ["metropole:gestionnaire", "metropole:admin"],
  },
  "CribCase:delete": NOBODY,

  "CribAnswer:read": {
    own: [...ALL_OF("metropole"), ...ALL_OF("urh"), ...ALL_OF("bailleur")],
    other: [...ALL_OF("metropole"), ...ALL_OF("urh")],
  },
  "CribAnswer:create": { own: ["bailleur:gestionnaire", "bailleur:admin"], other: [] },
  "CribAnswer:update": { own: ["bailleur:gestionnaire", "bailleur:admin"], other: [] },
  "CribAnswer:delete": NOBODY,

  // Attributions (issue 5). "own": a row my organisation is party to (its bailleur, the réservataire it counts on,
  // the commune of a flat on the MEL contingent); "other": a row between others — only the MEL and the État read it.
  "Attribution:read": {
    own: [
      ...ALL_OF("bailleur"),
      ...ALL_OF("commune"),
      ...ALL_OF("departement"),
      ...ALL_OF("action_logement"),
      ...ALL_OF("sicf"),
      ...ALL_OF("metropole"),
      ...ALL_OF("etat"),
    ],
    other: [...ALL_OF("metropole"), ...ALL_OF("etat")],
  },
  "Attribution:create": {
    own: ["bailleur:gestionnaire", "bailleur:signataire", "bailleur:admin"],
    other: [],
  },
  "Attribution:update": NOBODY,
  "Attribution:delete": NOBODY,
  // Programmes, comité, calendar (issue 6). "own" programme: my bailleur's, or one of a bailleur my réservataire
  // holds a contingent on, or one on my commune's territory (I am among its parties); "other": a programme of
  // another bailleur, on another territory, on which I hold no contingent — only the MEL reads it.
  "Programme:read": {
    own: ORGANISATION_KINDS.filter((k) => k !== "urh").flatMap(ALL_OF),
    other: ALL_OF("metropole"),
  },
  "Programme:create": { own: ["bailleur:gestionnaire", "bailleur:signataire"], other: [] },
  "Programme:update": { own: ["bailleur:gestionnaire", "bailleur:signataire"], other: [] },
  "Programme:delete": NOBODY,

  "ProgrammeRecommendation:read": NOBODY,
  "ProgrammeRecommendation:create": {
    own: RESERVATAIRES.flatMap((k) => [`${k}:gestionnaire`, `${k}:signataire`]),
    other: [],
  },
  "ProgrammeRecommendation:update": NOBODY,
  "ProgrammeRecommendation:delete": NOBODY,

  // "own" request: addressed to my organisation; "other": to another bailleur.
  "DeliveryUpdate:read": { own: [...ALL_OF("metropole"), ...ALL_OF("bailleur")], other: ALL_OF("metropole") },
  "DeliveryUpdate:create": {
    own: ["metropole:gestionnaire", "metropole:admin"],
    other: ["metropole:gestionnaire", "metropole:admin"],
  },
  "DeliveryUpdate:update": { own: ["bailleur:gestionnaire", "bailleur:signataire"], other: [] },
  "DeliveryUpdate:delete": NOBODY,

  // "own" meeting: my organisation is invited and the reporting is published; "other": not invited, not published.
  "Comite:read": { own: EVERYONE, other: ALL_OF("metropole") },
  "Comite:create": {
    own: ["metropole:gestionnaire", "metropole:admin"],
    other: ["metropole:gestionnaire", "metropole:admin"],
  },
  "Comite:update": {
    own: ["metropole:gestionnaire", "metropole:admin"],
    other: ["metropole:gestionnaire", "metropole:admin"],
  },
  "Comite:delete": NOBODY,

  "Calendar:read": { own: EVERYONE, other: [] },
  "Calendar:create": NOBODY,
  "Calendar:update": NOBODY,
  "Calendar:delete": NOBODY,

  "CalendarFeed:read": { own: EVERYONE, other: [] },
  "CalendarFeed:create": { own: EVERYONE, other: [] },
  "CalendarFeed:update": NOBODY,
  "CalendarFeed:delete": { own: EVERYONE, other: [] },

  // Conventions (issue 3). "own": a convention my organisation drafted and signs, not the cadre; "other": one
  // between two other organisations (the published cadre is walked in its own test below).
  // A commune is party to the convention that gives it a share of the MEL's contingent (part communale).
  "Convention:read": { own: ORGANISATION_KINDS.flatMap(ALL_OF), other: [] },
  "Convention:create": {
    own: RESERVATAIRES.flatMap((k) => [`${k}:gestionnaire`, `${k}:signataire`]),
    other: [],
  },
  "Convention:update": {
    own: RESERVATAIRES.flatMap((k) => [`${k}:gestionnaire`, `${k}:signataire`]),
    other: [],
  },
  "Convention:delete": NOBODY,

  "ConventionCadre:read": NOBODY,
  "ConventionCadre:create": {
    own: ["metropole:gestionnaire", "metropole:signataire"],
    other: ["metropole:gestionnaire", "metropole:signataire"],
  },
  "ConventionCadre:update": NOBODY,
  "ConventionCadre:delete": NOBODY,

  "ConventionSignature:read": NOBODY,
  "ConventionSignature:create": {
    own: ORGANISATION_KINDS.map((k) => `${k}:signataire`),
    other: [],
  },
  "ConventionSignature:update": NOBODY,
  "ConventionSignature:delete": NOBODY,

  // Reports (issue 5). "own": a figure my organisation is party to (my contingent, my flux, my commune's territory);
  // "other": one between a réservataire, a bailleur and a commune that are all others — only the comité de suivi.
  "ConsumptionReport:read": { own: EVERYONE, other: COMITE_DE_SUIVI },
  "ConsumptionReport:create": NOBODY,
  "ConsumptionReport:update": NOBODY,
  "ConsumptionReport:delete": NOBODY,

  "IndicatorReport:read": { own: EVERYONE, other: COMITE_DE_SUIVI },
  "IndicatorReport:create": NOBODY,
  "IndicatorReport:update": NOBODY,
  "IndicatorReport:delete": NOBODY,

  // The metropolitan bilan covers every attribution: the comité de suivi's, whole.
  "MetropolitanBilan:read": { own: COMITE_DE_SUIVI, other: COMITE_DE_SUIVI },
  "MetropolitanBilan:create": NOBODY,
  "MetropolitanBilan:update": NOBODY,
  "MetropolitanBilan:delete": NOBODY,

  // "own" bilan: sent by my organisation (a bailleur) or to it (a réservataire); "other": between two others.
  "Bilan:read": { own: [...RESERVATAIRES.flatMap(ALL_OF), ...ALL_OF("bailleur")], other: [] },
  "Bilan:create": { own: ["bailleur:gestionnaire", "bailleur:signataire"], other: [] },
  "Bilan:update": {
    own: RESERVATAIRES.flatMap((k) => [`${k}:gestionnaire`, `${k}:signataire`]),
    other: [],
  },
  "Bilan:delete": NOBODY,

  // The referential of quartiers prioritaires (decision 0025): public names, written by the MEL's gestionnaires and
  // admins; a quartier leaving the list is deactivated, never deleted.
  "Qpv:read": { own: EVERYONE, other: EVERYONE },
  "Qpv:create": {
    own: ["metropole:gestionnaire", "metropole:admin"],
    other: ["metropole:gestionnaire", "metropole:admin"],
  },
  "Qpv:update": {
    own: ["metropole:gestionnaire", "metropole:admin"],
    other: ["metropole:gestionnaire", "metropole:admin"],
  },
  "Qpv:delete": NOBODY,
};

const ME = "00000000-0000-4000-8000-000000000001";
const COLLEAGUE = "00000000-0000-4000-8000-000000000002";
const MY_ORG = "00000000-0000-4000-8000-0000000000a1";
const OTHER_ORG = "00000000-0000-4000-8000-0000000000b2";
const THIRD_ORG = "00000000-0000-4000-8000-0000000000c3";

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
    case "Account":
    case "CalendarFeed":
      // Someone else's token, whether a colleague's in the same organisation or a stranger's elsewhere.
      return which === "own"
        ? [{ id: "t1", userId: ME, organisationId: MY_ORG }]
        : [
            { id: "t2", userId: COLLEAGUE, organisationId: MY_ORG },
            { id: "t3", userId: COLLEAGUE, organisationId: OTHER_ORG },
          ];
    case "EmailOutbox":
      return [{ id: "m1", to: "quelqu.un@exemple.fr" }];
    case "Forecast":
      return [{ id: "f1", organisationId: which === "own" ? MY_ORG : OTHER_ORG, published: false }];
    case "Assiette":
    case "AssietteRectificatif":
      return [{ year: 2026, published: which === "own" }];
    case "NegotiatedRate":
      return which === "own"
        ? [{ id: "n1", organisationId: MY_ORG, partyIds: [MY_ORG, THIRD_ORG] }]
        : [{ id: "n2", organisationId: OTHER_ORG, partyIds: [OTHER_ORG, THIRD_ORG] }];
    case "Avenant":
    case "AvenantSending":
    case "AvenantAnswer":
    case "AvenantAssietteAnswer":
      // A letter my organisation is party to (on its own side, whichever kind it is) / one between two others.
      return which === "own"
        ? [{ id: "av1", organisationId: MY_ORG, bailleurId: MY_ORG, partyIds: [MY_ORG] }]
        : [{ id: "av2", organisationId: OTHER_ORG, bailleurId: THIRD_ORG, partyIds: [OTHER_ORG, THIRD_ORG] }];
    case "CribCase":
      return [{ id: "c1", published: which === "own" }];
    case "Convention":
    case "ConventionCadre":
    case "ConventionSignature":
      return which === "own"
        ? [{ id: "cv1", organisationId: MY_ORG, partyIds: [MY_ORG, OTHER_ORG], published: false }]
        : [{ id: "cv2", organisationId: OTHER_ORG, partyIds: [OTHER_ORG, THIRD_ORG], published: false }];
    case "CribAnswer":
      return [{ id: "a1", organisationId: which === "own" ? MY_ORG : OTHER_ORG, published: true }];
    case "Programme":
    case "ProgrammeRecommendation":
      // (The row's parties are its bailleur, the réservataires holding a contingent on it and its commune: whichever
      // kind I am, "own" puts me among them.)
      return which === "own"
        ? [{ id: "p1", organisationId: MY_ORG, partyIds: [MY_ORG, OTHER_ORG] }]
        : [{ id: "p3", organisationId: OTHER_ORG, partyIds: [OTHER_ORG, THIRD_ORG] }];
    case "DeliveryUpdate":
      return [{ id: "d1", organisationId: which === "own" ? MY_ORG : OTHER_ORG }];
    case "Comite":
      return which === "own"
        ? [{ id: "co1", partyIds: [MY_ORG, OTHER_ORG], published: true }]
        : [{ id: "co2", partyIds: [OTHER_ORG, THIRD_ORG], published: false }];
    case "Signalement":
      return which === "own"
        ? [
            { id: "s1", communeId: MY_ORG, partyIds: [MY_ORG, OTHER_ORG] },
            { id: "s2", communeId: OTHER_ORG, partyIds: [OTHER_ORG, MY_ORG] },
          ]
        : [{ id: "s3", communeId: OTHER_ORG, partyIds: [OTHER_ORG, THIRD_ORG] }];
    case "Attribution":
      return which === "own"
        ? [{ id: "at1", organisationId: MY_ORG, partyIds: [MY_ORG] }]
        : [{ id: "at2", organisationId: OTHER_ORG, partyIds: [OTHER_ORG, THIRD_ORG] }];
    case "ConsumptionReport":
    case "IndicatorReport":
      // Mine as réservataire, as bailleur, or as the commune of the territory / a figure between three others.
      return which === "own"
        ? [
            { reservataireId: MY_ORG, bailleurId: OTHER_ORG, partyIds: [MY_ORG, OTHER_ORG] },
            { reservataireId: OTHER_ORG, bailleurId: MY_ORG, partyIds: [OTHER_ORG, MY_ORG] },
            { reservataireId: OTHER_ORG, bailleurId: THIRD_ORG, partyIds: [OTHER_ORG, THIRD_ORG, MY_ORG] },
          ]
        : [{ reservataireId: OTHER_ORG, bailleurId: THIRD_ORG, partyIds: [OTHER_ORG, THIRD_ORG] }];
    case "Bilan":
      return which === "own"
        ? [{ id: "b1", organisationId: MY_ORG, partyIds: [MY_ORG, OTHER_ORG] }]
        : [{ id: "b2", organisationId: OTHER_ORG, partyIds: [OTHER_ORG, THIRD_ORG] }];
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

describe("yearly cycle: published assiette rows and the sides of an avenant", () => {
  const published = { id: "f2", organisationId: OTHER_ORG, published: true };
  it("lets réservataires read another bailleur's row only once the assiette is published; never a commune", () => {
    const readers = ["metropole", "etat", "urh", "departement", "action_logement", "sicf"] as const;
    for (const kind of readers)
      for (const role of ROLES) {
        const ability = defineAbilityFor(actorOf(kind, [role]));
        expect(ability.can("read", asSubject("Forecast", published)), `${kind}:${role}`).toBe(true);
      }
    for (const kind of ["bailleur", "commune"] as const)
      for (const role of ROLES)
        expect(
          defineAbilityFor(actorOf(kind, [role])).can("read", asSubject("Forecast", published)),
          `${kind}:${role}`,
        ).toBe(false);
    const departement = defineAbilityFor(actorOf("departement", ["signataire"]));
    expect(departement.can("update", asSubject("Forecast", published))).toBe(false);
  });

  it("lets the réservataire send and the bailleur answer, each on its own side only", () => {
    const letter = { organisationId: MY_ORG, bailleurId: OTHER_ORG, partyIds: [MY_ORG, OTHER_ORG] };
    const received = { organisationId: OTHER_ORG, bailleurId: MY_ORG, partyIds: [OTHER_ORG, MY_ORG] };
    const mel = defineAbilityFor(actorOf("metropole", ["signataire"]));
    expect(mel.can("create", asSubject("AvenantSending", letter))).toBe(true);
    expect(mel.can("create", asSubject("AvenantAnswer", letter))).toBe(false);
    expect(mel.can("read", asSubject("Avenant", received))).toBe(true);
    expect(mel.can("update", asSubject("Avenant", received))).toBe(false);
    const bailleur = defineAbilityFor(actorOf("bailleur", ["signataire", "gestionnaire"]));
    expect(bailleur.can("create", asSubject("AvenantAnswer", received))).toBe(true);
    expect(bailleur.can("create", asSubject("AvenantSending", received))).toBe(false);
    expect(bailleur.can("update", asSubject("Avenant", received))).toBe(false);
    const gestionnaire = defineAbilityFor(actorOf("bailleur", ["gestionnaire"]));
    expect(gestionnaire.can("create", asSubject("AvenantAnswer", received))).toBe(false);
  });
});

describe("conventions: the cadre known to every partner, a bilatérale to its parties only", () => {
  const cadre = { organisationId: OTHER_ORG, partyIds: [OTHER_ORG, THIRD_ORG], published: true };
  const received = { organisationId: OTHER_ORG, partyIds: [OTHER_ORG, MY_ORG], published: false };
  it("lets every partner but a commune read the cadre; only its parties' signataires sign it", () => {
    for (const kind of ORGANISATION_KINDS)
      for (const role of ROLES) {
        const ability = defineAbilityFor(actorOf(kind, [role]));
        expect(ability.can("read", asSubject("Convention", cadre)), `${kind}:${role}`).toBe(
          kind !== "commune",
        );
        expect(ability.can("create", asSubject("ConventionSignature", cadre)), `${kind}:${role}`).toBe(false);
        expect(ability.can("update", asSubject("Convention", cadre)), `${kind}:${role}`).toBe(false);
      }
  });

  it("lets the bailleur party read and sign (signataire) a bilatérale it did not draft, never change it", () => {
    const signataire = defineAbilityFor(actorOf("bailleur", ["signataire", "gestionnaire"]));
    expect(signataire.can("read", asSubject("Convention", received))).toBe(true);
    expect(signataire.can("create", asSubject("ConventionSignature", received))).toBe(true);
    expect(signataire.can("update", asSubject("Convention", received))).toBe(false);
    const gestionnaire = defineAbilityFor(actorOf("bailleur", ["gestionnaire"]));
    expect(gestionnaire.can("create", asSubject("ConventionSignature", received))).toBe(false);
  });
});

describe("guards", () => {
  const bailleurAdmin = defineAbilityFor(actorOf("bailleur", ["admin"]));
  const bailleurLecteur = defineAbilityFor(actorOf("bailleur", ["lecteur"]));

  // The guard speaks the domain: app/lib/http.server.ts turns its refusals into 403 and 404, as every model's.
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error as DomainError;
    }
    return undefined;
  };

  it("ensureCan refuses as forbidden, with a French message and what was refused", () => {
    expect(() => ensureCan(bailleurAdmin, "create", "Invitation")).not.toThrow();
    const thrown = refusal(() => ensureCan(bailleurLecteur, "create", "Invitation"));
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      kind: "forbidden",
      message: "Votre rôle ne permet pas cette action.",
      required: { action: "create", subject: "Invitation" },
    });
  });

  it("ensureCanOn refuses another organisation's row as not found and a readable row one may not change as forbidden", () => {
    const foreign = { id: "i1", organisationId: OTHER_ORG };
    const mine = { id: "m1", organisationId: MY_ORG };
    const kind = (fn: () => unknown) => refusal(fn)?.kind;
    expect(kind(() => ensureCanOn(bailleurAdmin, "delete", "Invitation", foreign))).toBe("not_found");
    expect(kind(() => ensureCanOn(bailleurAdmin, "delete", "Invitation", undefined))).toBe("not_found");
    expect(kind(() => ensureCanOn(bailleurLecteur, "update", "Membership", mine))).toBe("forbidden");
    expect(ensureCanOn(bailleurAdmin, "update", "Membership", mine)).toBe(mine);
    expect(
      refusal(() =>
        ensureCanOn(
          bailleurAdmin,
          "read",
          "Membership",
          { id: "m2", organisationId: OTHER_ORG },
          "Ce membre",
        ),
      )?.message,
    ).toBe("Ce membre est introuvable, ou vous n'y avez pas accès.");
  });
});

describe("attributions: a commune never sees another commune's territory, a bailleur never another bailleur's rows", () => {
  const COMMUNE = MY_ORG;
  const ANOTHER_COMMUNE = "00000000-0000-4000-8000-0000000000d4";
  const BAILLEUR = OTHER_ORG;
  const MEL = THIRD_ORG;
  const row = (
    contingent: AttributionContingent,
    communeOrganisationId: string,
    reservataireId: string | null,
  ) =>
    asSubject(
      "Attribution",
      attributionPolicyRow({ bailleurId: BAILLEUR, reservataireId, contingent, communeOrganisationId }),
    );

  it("lets a commune read the MEL-contingent rows of its territory and its own contingent's, nothing else", () => {
    const commune = defineAbilityFor(actorOf("commune", ["lecteur"]));
    expect(commune.can("read", row("mel", COMMUNE, MEL))).toBe(true);
    expect(commune.can("read", row("commune", COMMUNE, COMMUNE))).toBe(true);
    expect(commune.can("read", row("mel", ANOTHER_COMMUNE, MEL))).toBe(false);
    expect(commune.can("read", row("commune", ANOTHER_COMMUNE, ANOTHER_COMMUNE))).toBe(false);
    // In its territory but on the État's contingent: not the commune's business.
    expect(commune.can("read", row("etat", COMMUNE, "etat-org"))).toBe(false);
    expect(commune.can("create", row("mel", COMMUNE, MEL))).toBe(false);
  });

  it("lets a bailleur read and record its own rows only", () => {
    const bailleur = defineAbilityFor({ ...actorOf("bailleur", ["gestionnaire"]), organisationId: BAILLEUR });
    expect(bailleur.can("read", row("none", COMMUNE, null))).toBe(true);
    expect(bailleur.can("create", row("none", COMMUNE, null))).toBe(true);
    const another = defineAbilityFor(actorOf("bailleur", ["admin", "gestionnaire", "signataire"]));
    expect(another.can("read", row("none", COMMUNE, null))).toBe(false);
    expect(another.can("create", row("none", COMMUNE, null))).toBe(false);
  });

  it("lets a réservataire read the rows counting on its contingent, not the others'", () => {
    const als = defineAbilityFor(actorOf("action_logement", ["lecteur"]));
    expect(als.can("read", row("action_logement", COMMUNE, MY_ORG))).toBe(true);
    expect(als.can("read", row("sicf", COMMUNE, ANOTHER_COMMUNE))).toBe(false);
    const urh = defineAbilityFor(actorOf("urh", ["admin"]));
    expect(urh.can("read", row("mel", COMMUNE, MEL))).toBe(false);
  });
});

describe("programmes and comité: who sees what beyond own/other", () => {
  it("shows a published comité's reporting to every commune, an unpublished one to its invited members only", () => {
    const unpublished = { id: "co3", partyIds: [MY_ORG], published: false };
    const publishedElsewhere = { id: "co4", partyIds: [OTHER_ORG], published: true };
    for (const role of ROLES) {
      const commune = defineAbilityFor(actorOf("commune", [role]));
      expect(commune.can("read", asSubject("Comite", unpublished))).toBe(false);
      expect(commune.can("read", asSubject("Comite", publishedElsewhere))).toBe(true);
      const bailleur = defineAbilityFor(actorOf("bailleur", [role]));
      expect(bailleur.can("read", asSubject("Comite", unpublished))).toBe(true);
      expect(bailleur.can("read", asSubject("Comite", publishedElsewhere))).toBe(false);
    }
  });

  it("never lets a bailleur recommend on its own programme, nor the URH see programmes", () => {
    const own = { organisationId: MY_ORG, partyIds: [MY_ORG] };
    for (const role of ROLES) {
      expect(
        defineAbilityFor(actorOf("bailleur", [role])).can(
          "create",
          asSubject("ProgrammeRecommendation", own),
        ),
      ).toBe(false);
      expect(defineAbilityFor(actorOf("urh", [role])).can("read", asSubject("Programme", own))).toBe(false);
    }
  });
});
