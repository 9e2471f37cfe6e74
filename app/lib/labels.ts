import type { OrganisationKind } from "#db/schema";

/** French names of the kinds of organisation (DESIGN §2). */
export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  metropole: "Métropole",
  etat: "État",
  departement: "Département",
  urh: "Union régionale pour l'habitat",
  action_logement: "Action Logement",
  sicf: "SICF",
  bailleur: "Bailleur",
  commune: "Commune",
};
