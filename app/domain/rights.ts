/**
 * The assiette de référence du flux (Annex 1 of the convention cadre, 004 lines 502–526) and the rights it gives
 * each réservataire. One place for the columns, the rates and the rounding rule.
 */

/** Annex 1 columns a bailleur forecasts each January (counts of attributions). */
export type Forecast = { a: number; b: number; c: number; d: number; e: number; f: number; g: number };

export const FORECAST_COLUMNS = [
  { key: "a", label: "(A) Total des attributions dans le patrimoine concerné par la gestion en flux" },
  { key: "b", label: "(B) Dont premières mises en location" },
  { key: "c", label: "(C) Mutations internes (hors NPNRU)" },
  { key: "d", label: "(D) Relogements NPNRU (interbailleurs compris)" },
  { key: "e", label: "(E) Relogements ORCOD" },
  { key: "f", label: "(F) Relogements LHI" },
  { key: "g", label: "(G) Relogements ventes (logement occupé et mutation de l'occupant)" },
] as const satisfies ReadonlyArray<{ key: keyof Forecast; label: string }>;

/** H = A − C − D − E − F − G: the assiette de référence du flux réservable (B is information only). */
export function assietteH(forecast: Forecast): number {
  return forecast.a - forecast.c - forecast.d - forecast.e - forecast.f - forecast.g;
}

/** French reasons why a forecast cannot be accepted (empty when it can). */
export function forecastErrors(
  forecast: Record<keyof Forecast, unknown>,
): Partial<Record<keyof Forecast | "form", string>> {
  const errors: Partial<Record<keyof Forecast | "form", string>> = {};
  for (const { key, label } of FORECAST_COLUMNS) {
    const value = forecast[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      errors[key] = `${label} : indiquez un nombre entier d'attributions, positif ou nul.`;
  }
  if (Object.keys(errors).length > 0) return errors;
  const f = forecast as Forecast;
  if (f.b > f.a)
    errors.b = "(B) ne peut pas dépasser (A) : les premières mises en location font partie du total.";
  if (f.c + f.d + f.e + f.f + f.g > f.a)
    errors.form = `C + D + E + F + G (${f.c + f.d + f.e + f.f + f.g}) dépasse A (${f.a}) : l'assiette H serait négative. Vérifiez les colonnes.`;
  return errors;
}

/** Rates are basis points (1 % = 100) so that 28,7 % stays exact. */
export const RATES_BP = {
  /** 30 % minus the 1,3 % handed to ALS (004 lines 158–162). */
  etat: 2870,
  /** Instruction 2024-11375 (004 line 160). */
  action_logement_retrocession: 130,
  /** MEL, on every bailleur but Partenord Habitat (004 line 176). */
  mel: 2000,
  /** Not activated; may come by avenant (004 lines 188–190). */
  departement: 0,
} as const;

export const MAX_RATES_BP = {
  /** ALS contingent outside the rétrocession: 25 % at most (004 line 198). */
  action_logement: 2500,
  /** SICF, for ICF Habitat Nord-Est only: 30 % at most in the Nord (004 line 204). */
  sicf: 3000,
  /** Collectivities together (MEL and guaranteeing communes): 20 % of each bailleur's flux (004 line 168). */
  collectivities: 2000,
} as const;

/** The bailleur on which the MEL has no contingent (guaranteed by the Département, 004 line 176). */
export const BAILLEUR_WITHOUT_MEL_CONTINGENT = "partenord-habitat";
/** The only bailleur on which the SICF reserves (004 line 204). */
export const SICF_BAILLEUR = "icf-habitat-nord-est";

export const ROUNDING_RULE =
  "Les droits sont des nombres d'attributions : la valeur exacte (taux × H) est arrondie à l'unité la plus proche, une demie vers le haut.";

/** Rights of one contingent on one bailleur: the exact value and the rounded one (ROUNDING_RULE). */
export function rightsFor(h: number, rateBp: number): { exact: number; rounded: number } {
  const exact = (h * rateBp) / 10_000;
  // Integers first so that 0,5 is not lost to floating point (e.g. 1 185 × 2 870 / 10 000).
  const rounded = Math.floor((h * rateBp + 5_000) / 10_000);
  return { exact, rounded };
}

export type Contingent =
  | "etat"
  | "action_logement_retrocession"
  | "action_logement"
  | "sicf"
  | "mel"
  | "departement";

/**
 * The rates that apply to one bailleur: fixed ones from the convention cadre, negotiated ones (ALS, SICF) from the
 * bilateral conventions. A rate the texts forbid on this bailleur is 0.
 */
export function ratesFor(
  bailleurSlug: string,
  negotiated: { action_logement?: number; sicf?: number } = {},
): Record<Contingent, number> {
  return {
    etat: RATES_BP.etat,
    action_logement_retrocession: RATES_BP.action_logement_retrocession,
    action_logement: negotiated.action_logement ?? 0,
    sicf: bailleurSlug === SICF_BAILLEUR ? (negotiated.sicf ?? 0) : 0,
    mel: bailleurSlug === BAILLEUR_WITHOUT_MEL_CONTINGENT ? 0 : RATES_BP.mel,
    departement: RATES_BP.departement,
  };
}

/** French reason why a negotiated or collectivity rate is not allowed, or null. */
export function rateError(
  contingent: "action_logement" | "sicf" | "collectivities",
  rateBp: number,
): string | null {
  if (!Number.isInteger(rateBp) || rateBp < 0 || rateBp > 10_000)
    return "Un taux est compris entre 0 % et 100 %.";
  const max = MAX_RATES_BP[contingent];
  if (rateBp > max) {
    const label = {
      action_logement: "d'Action Logement",
      sicf: "de la SICF",
      collectivities: "des collectivités ensemble",
    }[contingent];
    return `Le taux ${label} ne peut pas dépasser ${max / 100} % de l'assiette du flux.`;
  }
  return null;
}

/** The contingents a réservataire of each kind holds on a bailleur (ALS: its rétrocession plus its own contingent). */
export const CONTINGENTS_OF_RESERVATAIRE = {
  etat: ["etat"],
  action_logement: ["action_logement_retrocession", "action_logement"],
  sicf: ["sicf"],
  metropole: ["mel"],
  departement: ["departement"],
} as const satisfies Record<string, readonly Contingent[]>;

export type ReservataireKind = keyof typeof CONTINGENTS_OF_RESERVATAIRE;

/** The rate (basis points) a réservataire's courrier valant avenant states for one bailleur. */
export function reservataireRateBp(kind: ReservataireKind, rates: Record<Contingent, number>): number {
  return CONTINGENTS_OF_RESERVATAIRE[kind].reduce((total, contingent) => total + rates[contingent], 0);
}

/**
 * French reason why a revised letter's rate is not allowed for this réservataire, or null: the État at most its
 * 28,7 %, ALS its 1,3 % rétrocession plus at most 25 %, the SICF at most 30 %, the collectivities at most 20 %.
 */
export function avenantRateError(kind: ReservataireKind, rateBp: number): string | null {
  if (!Number.isInteger(rateBp) || rateBp <= 0 || rateBp > 10_000)
    return "Un taux est compris entre 0 % (exclu) et 100 %.";
  if (kind === "etat")
    return rateBp > RATES_BP.etat ? "Le contingent préfectoral ne peut pas dépasser 28,7 % du flux." : null;
  if (kind === "action_logement")
    return rateError("action_logement", Math.max(0, rateBp - RATES_BP.action_logement_retrocession));
  if (kind === "sicf") return rateError("sicf", rateBp);
  return rateError("collectivities", rateBp);
}
