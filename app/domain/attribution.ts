/**
 * An attribution (a lease signed) and the one contingent it counts on. Source: 004 art. 7 and 11, model art. 5.2
 * and 6; DESIGN §3. Pure rules: no database, no framework.
 */

/** The contingent an attribution counts on (exactly one, or none). */
export const ATTRIBUTION_CONTINGENTS = [
  "etat",
  "etat_agents",
  "mel",
  "commune",
  "departement",
  "action_logement",
  "action_logement_retrocession",
  "sicf",
  "none",
] as const;
export type AttributionContingent = (typeof ATTRIBUTION_CONTINGENTS)[number];

export const TRANSFERS = ["none", "internal", "inter_bailleur"] as const;
export type Transfer = (typeof TRANSFERS)[number];

/** French labels of the contingents an attribution counts on. */
export const ATTRIBUTION_CONTINGENT_LABELS: Record<AttributionContingent, string> = {
  etat: "État",
  etat_agents: "État — agents de l'État",
  mel: "MEL",
  commune: "Commune",
  departement: "Département",
  action_logement: "Action Logement",
  action_logement_retrocession: "Action Logement — rétrocession",
  sicf: "SICF",
  none: "Hors contingent",
};
