import type { OrganisationKind, Role } from "#db/schema";

export const ACTIONS = ["read", "create", "update", "delete"] as const;
export type Action = (typeof ACTIONS)[number];

export const SUBJECTS = [
  "Organisation",
  "Membership",
  "Invitation",
  "AuditLog",
  "ApiToken",
  "Account",
  "EmailOutbox",
  // Yearly cycle (issue 3)
  "Forecast",
  "Assiette",
  "AssietteRectificatif",
  "NegotiatedRate",
  "Avenant",
  "AvenantSending",
  "AvenantAnswer",
  "AvenantAssietteAnswer",
  // Signalements (issue 4)
  "Signalement",
  "CribCase",
  "CribAnswer",
  // Attributions (issue 5)
  "Attribution",
  // Programmes, comité de suivi, calendar (issue 6)
  "Programme",
  "ProgrammeRecommendation",
  "DeliveryUpdate",
  "Comite",
  "Calendar",
  "CalendarFeed",
  // Conventions (issue 3)
  "Convention",
  "ConventionCadre",
  "ConventionSignature",
  // Reports (issue 5)
  "ConsumptionReport",
  "IndicatorReport",
  "Bilan",
  "MetropolitanBilan",
  // Quartiers prioritaires (issue 15, decision 0025)
  "Qpv",
] as const;
export type SubjectName = (typeof SUBJECTS)[number];

/**
 * Which instances a rule reaches: every one, those of the acting organisation, or those of the user.
 * Resources carry `organisationId` / `userId`, which the conditions below match.
 */
export type Scope =
  | "all"
  | "own_organisation"
  | "own_user"
  // Rows the acting organisation is party to (an avenant: its réservataire and its bailleur), `{ partyIds: orgId }`.
  | "party"
  // Rows of a published assiette (`{ published: true }`).
  | "published";

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
    subject: "Account",
    actions: ["read", "update"],
    kinds: "any",
    roles: "any",
    scope: "own_user",
    why: "Chacun change son mot de passe et voit ou ferme ses propres sessions.",
  },
  {
    subject: "EmailOutbox",
    actions: ["read", "update"],
    kinds: ["metropole"],
    roles: ["admin"],
    scope: "all",
    why: "Les administrateurs de la MEL lisent la boîte d'envoi (seul accès aux courriels sans SMTP) et renvoient un courriel en échec.",
  },

  // ── Yearly cycle (issue 3; DESIGN §4) ─────────────────────────────────────────────────────────────────────────
  {
    subject: "Forecast",
    actions: ["read"],
    kinds: ["bailleur"],
    roles: "any",
    scope: "own_organisation",
    why: "Un bailleur voit sa propre prévision (colonnes A à G) et sa ligne de l'assiette.",
  },
  {
    subject: "Forecast",
    actions: ["create", "update"],
    kinds: ["bailleur"],
    roles: ["gestionnaire", "signataire"],
    scope: "own_organisation",
    why: "Le bailleur saisit et transmet sa prévision en janvier, tant qu'elle n'est pas transmise (004 l. 502).",
  },
  {
    subject: "Forecast",
    actions: ["read"],
    kinds: ["etat", "metropole", "urh"],
    roles: "any",
    scope: "all",
    why: "L'État compile l'assiette ; la MEL (cheffe de file) et l'URH suivent toutes les lignes.",
  },
  {
    subject: "Forecast",
    actions: ["update"],
    kinds: ["etat"],
    roles: ["gestionnaire", "signataire"],
    scope: "all",
    why: "L'État corrige ou valide les prévisions avant de publier l'assiette.",
  },
  {
    subject: "Forecast",
    actions: ["read"],
    kinds: ["departement", "action_logement", "sicf"],
    roles: "any",
    scope: "published",
    why: "Un réservataire voit les lignes de l'assiette publiée par l'État.",
  },
  {
    subject: "Assiette",
    actions: ["read"],
    kinds: ["metropole", "etat", "departement", "urh", "action_logement", "sicf", "bailleur"],
    roles: "any",
    scope: "all",
    why: "L'état de publication de l'assiette d'une année intéresse tous les partenaires sauf les communes.",
  },
  {
    subject: "Assiette",
    actions: ["update"],
    kinds: ["etat"],
    roles: ["gestionnaire", "signataire"],
    scope: "all",
    why: "L'État relance les bailleurs et publie l'assiette (fin février, 004 l. 150).",
  },
  // A rate row carries `partyIds` = [its réservataire, its bailleur]. Nobody writes one: a rate comes from a
  // convention both parties signed (Convention, ConventionSignature), DESIGN §4.
  {
    subject: "AssietteRectificatif",
    actions: ["create"],
    kinds: ["etat"],
    roles: ["gestionnaire", "signataire"],
    scope: "all",
    why: "L'État publie, avec son motif, la version suivante d'une assiette publiée (DESIGN §3).",
  },
  {
    subject: "NegotiatedRate",
    actions: ["read"],
    kinds: ["departement", "action_logement", "sicf", "bailleur", "commune"],
    roles: "any",
    scope: "party",
    why: "Les deux parties d'une convention voient le taux qu'elles ont signé, année par année.",
  },
  {
    subject: "NegotiatedRate",
    actions: ["read"],
    kinds: ["metropole", "etat", "urh"],
    roles: "any",
    scope: "all",
    why: "Les taux signés entrent dans le tableau de l'annexe 1 que l'État, la MEL et l'URH suivent.",
  },
  {
    subject: "Avenant",
    actions: ["read"],
    kinds: ["metropole", "etat", "departement", "action_logement", "sicf", "bailleur"],
    roles: "any",
    scope: "party",
    why: "Un courrier valant avenant est vu de ses deux parties seulement.",
  },
  {
    subject: "Avenant",
    actions: ["create", "update"],
    kinds: ["metropole", "etat", "departement", "action_logement", "sicf"],
    roles: ["gestionnaire", "signataire"],
    scope: "own_organisation",
    why: "Le réservataire prépare ses courriers, les révise ou les maintient après contestation.",
  },
  {
    subject: "AvenantSending",
    actions: ["create"],
    kinds: ["metropole", "etat", "departement", "action_logement", "sicf"],
    roles: ["signataire"],
    scope: "own_organisation",
    why: "Seul le signataire du réservataire envoie (ou retire, avant réponse) un courrier valant avenant en son nom.",
  },
  {
    subject: "AvenantAnswer",
    actions: ["create"],
    kinds: ["bailleur"],
    roles: ["signataire"],
    scope: "party",
    why: "Seul le signataire du bailleur accepte ou conteste le courrier, avant l'échéance de deux mois.",
  },
  {
    subject: "AvenantAssietteAnswer",
    actions: ["read", "create"],
    kinds: ["etat"],
    roles: ["gestionnaire", "signataire"],
    scope: "all",
    why: "L'État établit l'assiette (004 l. 150) : il répond aux contestations de H de tout courrier, et la corrige par rectificatif.",
  },

  // ── Signalements (issue 4; DESIGN §4): personal data, seen by the fewest organisations that need it ─────────────
  // A signalement row carries `partyIds` = [its commune, the bailleurs it is addressed to]: never another commune.
  {
    subject: "Signalement",
    actions: ["read"],
    kinds: ["commune", "bailleur"],
    roles: "any",
    scope: "party",
    why: "Un signalement est vu de la commune qui l'a émis et des bailleurs à qui il est adressé, jamais d'une autre commune.",
  },
  {
    subject: "Signalement",
    actions: ["read"],
    kinds: ["metropole"],
    roles: "any",
    scope: "all",
    why: "La MEL, cheffe de file, suit tous les signalements de la métropole (contingent MEL géré par les communes).",
  },
  {
    subject: "Signalement",
    actions: ["create"],
    kinds: ["commune"],
    roles: ["gestionnaire", "admin"],
    scope: "party",
    why: "La commune signale aux bailleurs les ménages qu'elle souhaite reloger (délibération MEL du 15/12/2023).",
  },
  {
    subject: "Signalement",
    actions: ["update"],
    kinds: ["commune", "bailleur"],
    roles: ["gestionnaire", "admin"],
    scope: "party",
    why: "Le bailleur destinataire saisit le suivi ; la commune retire ou clôt ; les deux échangent des commentaires.",
  },

  // CRIB list (rows carry `published` = their session is published, and for answers `organisationId` = the bailleur).
  {
    subject: "CribCase",
    actions: ["read", "create", "update"],
    kinds: ["metropole"],
    roles: ["gestionnaire", "admin"],
    scope: "all",
    why: "La MEL tient la liste des mutations bloquées ou complexes envoyées en inter-bailleurs par la CRIB, et la publie.",
  },
  {
    subject: "CribCase",
    actions: ["read"],
    kinds: ["metropole"],
    roles: "any",
    scope: "all",
    why: "La MEL suit la liste de la CRIB.",
  },
  {
    subject: "CribCase",
    actions: ["read"],
    kinds: ["urh", "bailleur"],
    roles: "any",
    scope: "published",
    why: "Une fois publiée par la MEL, la liste est vue de l'URH et des bailleurs.",
  },
  {
    subject: "CribCase",
    actions: ["update"],
    kinds: ["urh"],
    roles: ["gestionnaire", "admin"],
    scope: "published",
    why: "L'URH désigne le bailleur pilote et suit chaque cas jusqu'au relogement ou à la clôture.",
  },
  {
    subject: "CribAnswer",
    actions: ["read"],
    kinds: ["metropole", "urh"],
    roles: "any",
    scope: "all",
    why: "L'URH (et la MEL) voient toutes les réponses des bailleurs.",
  },
  {
    subject: "CribAnswer",
    actions: ["read", "create", "update"],
    kinds: ["bailleur"],
    roles: ["gestionnaire", "admin"],
    scope: "own_organisation",
    why: "Chaque bailleur répond à chaque cas : une solution possible (commune, typologie) ou aucune.",
  },
  {
    subject: "CribAnswer",
    actions: ["read"],
    kinds: ["bailleur"],
    roles: "any",
    scope: "own_organisation",
    why: "Un bailleur voit ses propres réponses.",
  },

  // ── Attributions (issue 5; DESIGN §4 "attribution"). A row carries `organisationId` = its bailleur and
  // `partyIds` = [its bailleur, the réservataire it counts on, and on the MEL contingent the commune of the flat].
  // URH sees no row: it follows the aggregated reports (comité de suivi), built by the reports half of issue 5.
  {
    subject: "Attribution",
    actions: ["create"],
    kinds: ["bailleur"],
    roles: ["gestionnaire", "signataire", "admin"],
    scope: "own_organisation",
    why: "Le bailleur enregistre chaque attribution à la signature du bail, avec le contingent sur lequel elle compte (004 art. 7).",
  },
  {
    subject: "Attribution",
    actions: ["read"],
    kinds: ["bailleur", "departement", "action_logement", "sicf", "commune"],
    roles: "any",
    scope: "party",
    why: "Le bailleur voit ses attributions ; un réservataire celles qui comptent sur son contingent ; une commune celles de son territoire sur le contingent MEL (ou le sien), jamais celles d'une autre commune.",
  },
  {
    subject: "Attribution",
    actions: ["read"],
    kinds: ["metropole", "etat"],
    roles: "any",
    scope: "all",
    why: "La MEL (cheffe de file) et l'État suivent toutes les attributions du territoire.",
  },
  // ── Programmes, comité de suivi, calendar (issue 6) ─────────────────────────────────────────────────────────────
  // A programme row carries `organisationId` = its bailleur and `partyIds` = [its bailleur, the réservataires holding
  // a contingent on that bailleur (contingentPairs), the commune of its territory].
  {
    subject: "Programme",
    actions: ["read"],
    kinds: ["bailleur", "etat", "departement", "action_logement", "sicf", "commune"],
    roles: "any",
    scope: "party",
    why: "Le bailleur, les réservataires ayant une convention avec lui et la commune d'implantation voient le programme (004 l. 294–296).",
  },
  {
    subject: "Programme",
    actions: ["read"],
    kinds: ["metropole"],
    roles: "any",
    scope: "all",
    why: "La MEL, cheffe de file, consolide les livraisons à venir de tous les bailleurs (004 l. 298).",
  },
  {
    subject: "Programme",
    actions: ["create", "update"],
    kinds: ["bailleur"],
    roles: ["gestionnaire", "signataire"],
    scope: "own_organisation",
    why: "Le bailleur déclare ses programmes 3 à 4 mois avant la mise en service et arrête la répartition (004 l. 296).",
  },
  {
    subject: "ProgrammeRecommendation",
    actions: ["create"],
    kinds: ["metropole", "etat", "departement", "action_logement", "sicf"],
    roles: ["gestionnaire", "signataire"],
    scope: "party",
    why: "Chaque réservataire concerné émet ses préconisations sur la répartition proposée (004 l. 296).",
  },
  {
    subject: "DeliveryUpdate",
    actions: ["read"],
    kinds: ["metropole"],
    roles: "any",
    scope: "all",
    why: "La MEL suit qui a répondu à sa demande de mise à jour des livraisons.",
  },
  {
    subject: "DeliveryUpdate",
    actions: ["create"],
    kinds: ["metropole"],
    roles: ["gestionnaire", "admin"],
    scope: "all",
    why: "En mai et novembre, la MEL demande à tous les bailleurs de mettre à jour leurs livraisons (004 l. 298).",
  },
  {
    subject: "DeliveryUpdate",
    actions: ["read"],
    kinds: ["bailleur"],
    roles: "any",
    scope: "own_organisation",
    why: "Un bailleur voit les demandes qui lui sont adressées.",
  },
  {
    subject: "DeliveryUpdate",
    actions: ["update"],
    kinds: ["bailleur"],
    roles: ["gestionnaire", "signataire"],
    scope: "own_organisation",
    why: "Le bailleur confirme que ses livraisons à venir sont à jour.",
  },
  // A comité row carries `partyIds` = the organisations invited (members, bailleurs per agenda) and `published`.
  {
    subject: "Comite",
    actions: ["read"],
    kinds: ["etat", "departement", "action_logement", "sicf", "urh", "bailleur"],
    roles: "any",
    scope: "party",
    why: "Chaque membre du comité (réservataires, URH) et chaque bailleur invité voit les réunions où il est convié (004 l. 392–394).",
  },
  {
    subject: "Comite",
    actions: ["read"],
    kinds: ["commune"],
    roles: "any",
    scope: "published",
    why: "La MEL publie un reporting aux communes (004 l. 396).",
  },
  {
    subject: "Comite",
    actions: ["read"],
    kinds: ["metropole"],
    roles: "any",
    scope: "all",
    why: "La MEL organise le comité de suivi.",
  },
  {
    subject: "Comite",
    actions: ["create", "update"],
    kinds: ["metropole"],
    roles: ["gestionnaire", "admin"],
    scope: "all",
    why: "La MEL planifie, convoque, joint les documents, consigne le compte rendu et publie le reporting.",
  },
  {
    subject: "Calendar",
    actions: ["read"],
    kinds: "any",
    roles: "any",
    scope: "own_organisation",
    why: "Chaque organisation voit le calendrier de ses propres obligations.",
  },
  {
    subject: "CalendarFeed",
    actions: ["read", "create", "delete"],
    kinds: "any",
    roles: "any",
    scope: "own_user",
    why: "Chacun gère l'adresse secrète de son propre flux iCalendar.",
  },

  // ── Conventions (issue 3; DESIGN §4). A convention row carries `organisationId` = its drafter, `partyIds` = the
  // organisations that sign it, and `published` = it is the convention cadre (known to every partner). ───────────
  {
    subject: "Convention",
    actions: ["read"],
    kinds: ["metropole", "etat", "departement", "urh", "action_logement", "sicf", "bailleur", "commune"],
    roles: "any",
    scope: "party",
    why: "Une convention est vue de ses parties : un bailleur ses conventions, un réservataire celles qu'il signe, une commune garante sa part communale.",
  },
  {
    subject: "Convention",
    actions: ["read"],
    kinds: ["metropole", "etat", "departement", "urh", "action_logement", "sicf", "bailleur"],
    roles: "any",
    scope: "published",
    why: "La convention cadre 2024-2026 est connue de tous les partenaires (004 l. 60–470), pas des communes.",
  },
  {
    subject: "Convention",
    actions: ["create", "update"],
    kinds: ["metropole", "etat", "departement", "action_logement", "sicf"],
    roles: ["gestionnaire", "signataire"],
    scope: "own_organisation",
    why: "Le réservataire établit ses conventions bilatérales sur le modèle de l'annexe 2 (004 l. 560–806).",
  },
  {
    subject: "ConventionCadre",
    actions: ["create"],
    kinds: ["metropole"],
    roles: ["gestionnaire", "signataire"],
    scope: "all",
    why: "La MEL, cheffe de file, enregistre la convention cadre que ses six signataires signent, ses avenants (activation du contingent du Département, l.188–192) et les parts communales prises sur son contingent (l.178).",
  },
  {
    subject: "ConventionSignature",
    actions: ["create"],
    kinds: ["metropole", "etat", "departement", "urh", "action_logement", "sicf", "bailleur", "commune"],
    roles: ["signataire"],
    scope: "party",
    why: "Seul le signataire d'une partie signe la convention au nom de son organisation.",
  },

  // ── Reports (issue 5; DESIGN §4 "reports"). A report row carries `partyIds` = [its réservataire, its bailleur, and
  // for indicators the organisation of the commune where the flat is]: a réservataire reads its own contingent, a
  // bailleur its own flux, a commune its territory (with metropolitan averages, small counts masked), the comité de
  // suivi every bailleur. The reports' SQL is built from these rules (reportScopeOf, policyWhere).
  {
    subject: "ConsumptionReport",
    actions: ["read"],
    kinds: "any",
    roles: "any",
    scope: "party",
    why: "Un réservataire suit son contingent sur tous ses bailleurs ; un bailleur son flux pour tous ses réservataires.",
  },
  {
    subject: "ConsumptionReport",
    actions: ["read"],
    kinds: ["metropole", "etat", "departement", "urh"],
    roles: "any",
    scope: "all",
    why: "Le comité de suivi (MEL, État, Département, URH) suit la consommation sur tous les bailleurs (004 art. 11).",
  },
  {
    subject: "IndicatorReport",
    actions: ["read"],
    kinds: "any",
    roles: "any",
    scope: "party",
    why: "Indicateurs de l'art. 11 : son contingent, son flux, ou le territoire de sa commune (moyennes métropolitaines).",
  },
  {
    subject: "IndicatorReport",
    actions: ["read"],
    kinds: ["metropole", "etat", "departement", "urh"],
    roles: "any",
    scope: "all",
    why: "Le comité de suivi lit les indicateurs de tous les bailleurs ; la MEL en fait le bilan annuel pour la CIL.",
  },
  // The metropolitan bilan counts every attribution of the year (no row of its own): read whole, or not at all.
  {
    subject: "MetropolitanBilan",
    actions: ["read"],
    kinds: ["metropole", "etat", "departement", "urh"],
    roles: "any",
    scope: "all",
    why: "Le bilan métropolitain pour la CIL (004 l. 449–459) porte sur toutes les attributions : le comité de suivi le lit, la MEL le présente.",
  },
  // A bilan (decree 2020-145) carries `organisationId` = its bailleur and `partyIds` = [bailleur, réservataire].
  {
    subject: "Bilan",
    actions: ["read"],
    kinds: ["bailleur", "metropole", "etat", "departement", "action_logement", "sicf"],
    roles: "any",
    scope: "party",
    why: "Le bilan annuel d'un bailleur pour un réservataire est vu de ses deux destinataires seulement.",
  },
  {
    subject: "Bilan",
    actions: ["create"],
    kinds: ["bailleur"],
    roles: ["gestionnaire", "signataire"],
    scope: "own_organisation",
    why: "Avant le 28 février, le bailleur transmet à chaque réservataire le bilan de l'année précédente (décret 2020-145).",
  },
  {
    subject: "Bilan",
    actions: ["update"],
    kinds: ["metropole", "etat", "departement", "action_logement", "sicf"],
    roles: ["gestionnaire", "signataire"],
    scope: "party",
    why: "Le réservataire destinataire accuse réception du bilan.",
  },

  // ── Quartiers prioritaires (issue 15, decision 0025) ────────────────────────────────────────────────────────────
  {
    subject: "Qpv",
    actions: ["read"],
    kinds: "any",
    roles: "any",
    scope: "all",
    why: "La liste des quartiers prioritaires est publique : chacun la lit pour renseigner ou lire une attribution.",
  },
  {
    subject: "Qpv",
    actions: ["create", "update"],
    kinds: ["metropole"],
    roles: ["gestionnaire", "admin"],
    scope: "all",
    why: "La MEL tient la liste de ses quartiers prioritaires à partir de la liste officielle (décret du 28 décembre 2023).",
  },
];
