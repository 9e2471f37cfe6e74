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
