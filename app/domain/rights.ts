/**
 * The assiette de référence du flux (Annex 1 of the convention cadre, 004 lines 502–526) and the rights it gives
 * each réservataire. One place for the columns, the rates and the rounding rule.
 */

import { isInt4 } from "~/lib/input-fields";

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
    if (!isInt4(value) || value < 0)
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
  /** SICF, for ICF Habitat Nord-Est only: 30 % at most in the Nord (004 line 204); see SICF_ANNEX1_CAP_BP. */
  sicf: 3000,
  /** Collectivities together (MEL and guaranteeing communes): 20 % of each bailleur's flux (004 line 168). */
  collectivities: 2000,
} as const;

/**
 * The SICF's cap unless a signed SICF–ICF convention says otherwise: Annex 1 (004 l.505) says 25 % at most while the
 * text (l.204) allows 30 % in the Nord; with 25 % Annex 1's columns add up to exactly 100 % (DESIGN §3), so the
 * stricter figure holds until a convention both parties signed states a higher rate (never above l.204's 30 %).
 */
export const SICF_ANNEX1_CAP_BP = 2500;

/** The bailleur on which the MEL has no contingent (guaranteed by the Département, 004 line 176). */
export const BAILLEUR_WITHOUT_MEL_CONTINGENT = "partenord-habitat";
/** The only bailleur on which the SICF reserves (004 line 204). */
export const SICF_BAILLEUR = "icf-habitat-nord-est";

export const ROUNDING_RULE =
  "Les droits sont des nombres d'attributions. Chaque réservataire a un seul droit par bailleur, arrondi une fois sur son taux total (pour Action Logement : rétrocession comprise) : la valeur exacte (taux × H) est arrondie à l'unité la plus proche, une demie vers le haut. Si ces arrondis dépassaient ensemble H, les droits arrondis vers le haut de la plus petite fraction sont arrondis vers le bas, jusqu'à ne plus dépasser H.";

/** Rights of one contingent on one bailleur: the exact value and the rounded one (ROUNDING_RULE). */
export function rightsFor(h: number, rateBp: number): { exact: number; rounded: number } {
  const exact = (h * rateBp) / 10_000;
  // Integers first so that 0,5 is not lost to floating point (e.g. 1 185 × 2 870 / 10 000).
  const rounded = Math.floor((h * rateBp + 5_000) / 10_000);
  return { exact, rounded };
}

/**
 * The ROUNDING_RULE on one bailleur: each holder's right (its whole rate, one rounding) rounded half up, unless the
 * rounded rights would together exceed H (possible only when the rates add up to nearly 100 %): then the rights
 * rounded up by the smallest fraction go down one by one until they fit (largest remainders keep theirs). Rates
 * are in basis points and add up to at most 100 %, so the rights never exceed H.
 */
export function rightsOnBailleur(
  h: number,
  ratesBp: readonly number[],
): Array<{ exact: number; rounded: number }> {
  const rights = ratesBp.map((rate) => rightsFor(h, rate));
  let excess = rights.reduce((sum, r) => sum + r.rounded, 0) - h;
  if (excess <= 0) return rights;
  // Fractions in integers (ten-thousandths of an attribution) so that ties compare exactly.
  const roundedUp = ratesBp
    .map((rate, index) => ({ index, fraction: (h * rate) % 10_000 }))
    .filter(({ index }) => rights[index]!.rounded * 10_000 > h * ratesBp[index]!)
    .sort((x, y) => x.fraction - y.fraction || x.index - y.index);
  for (const { index } of roundedUp) {
    if (excess <= 0) break;
    rights[index] = { ...rights[index]!, rounded: rights[index]!.rounded - 1 };
    excess -= 1;
  }
  return rights;
}

/**
 * A right held through several columns (ALS: rétrocession, then its own contingent) shown column by column with
 * the same total: every column but the last rounded on its own (never beyond what is left), the last takes the rest.
 */
export function splitRight(h: number, partsBp: readonly number[], total: number) {
  let left = total;
  return partsBp.map((rate, index) => {
    const exact = (h * rate) / 10_000;
    const isLast = partsBp.slice(index + 1).every((later) => later === 0);
    const rounded = isLast ? left : Math.min(left, rightsFor(h, rate).rounded);
    left -= rounded;
    return { exact, rounded };
  });
}

export type Contingent =
  | "etat"
  | "action_logement_retrocession"
  | "action_logement"
  | "sicf"
  | "mel"
  | "departement";

/** A year's signed rates on one bailleur beyond the convention cadre's fixed ones (basis points). */
export type SignedParts = {
  /** ALS's own contingent, outside the 1,3 % rétrocession. */
  action_logement?: number;
  sicf?: number;
  /** Only once an avenant to the convention cadre activated it on this bailleur (004 l.188–192). */
  departement?: number;
  /** The guaranteeing communes' shares together, carved out of the MEL's 20 % (004 l.178). */
  communes?: number;
};

/**
 * The rates that apply to one bailleur in a year: fixed ones from the convention cadre (004 l.158–176), signed ones
 * from the bilateral conventions (ALS, SICF, Département) and the communes' shares taken from the MEL's. A rate the
 * texts forbid on this bailleur is 0.
 */
export function ratesFor(bailleurSlug: string, signed: SignedParts = {}): Record<Contingent, number> {
  const mel = bailleurSlug === BAILLEUR_WITHOUT_MEL_CONTINGENT ? 0 : RATES_BP.mel;
  return {
    etat: RATES_BP.etat,
    action_logement_retrocession: RATES_BP.action_logement_retrocession,
    action_logement: signed.action_logement ?? 0,
    sicf: bailleurSlug === SICF_BAILLEUR ? (signed.sicf ?? 0) : 0,
    mel: Math.max(0, mel - (signed.communes ?? 0)),
    departement: signed.departement ?? 0,
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

const RESERVATAIRE_KIND_LIST = Object.keys(CONTINGENTS_OF_RESERVATAIRE) as ReservataireKind[];

/**
 * The rights on one bailleur of a year: one right per réservataire (and per guaranteeing commune) rounded once on
 * its whole rate (`rightsOnBailleur`), each contingent column a split of its holder's right (`splitRight`), and the
 * remainder, the bailleur's own.
 */
export function bailleurRights(
  h: number,
  rates: Record<Contingent, number>,
  communeSharesBp: readonly number[],
) {
  const totals = [...RESERVATAIRE_KIND_LIST.map((k) => reservataireRateBp(k, rates)), ...communeSharesBp];
  const rights = rightsOnBailleur(h, totals);
  const byReservataire = Object.fromEntries(
    RESERVATAIRE_KIND_LIST.map((kind, i) => [kind, { rateBp: totals[i]!, ...rights[i]! }]),
  ) as Record<ReservataireKind, { rateBp: number; exact: number; rounded: number }>;
  const byContingent = {} as Record<Contingent, { exact: number; rounded: number }>;
  for (const kind of RESERVATAIRE_KIND_LIST) {
    const columns = CONTINGENTS_OF_RESERVATAIRE[kind];
    const split = splitRight(
      h,
      columns.map((c) => rates[c]),
      byReservataire[kind].rounded,
    );
    columns.forEach((c, i) => {
      byContingent[c] = split[i]!;
    });
  }
  const communes = communeSharesBp.map((rateBp, i) => ({
    rateBp,
    ...rights[RESERVATAIRE_KIND_LIST.length + i]!,
  }));
  const remainder = h - rights.reduce((sum, r) => sum + r.rounded, 0);
  return { byReservataire, byContingent, communes, remainder };
}

/** A percentage in French (28,7 %) from basis points. */
export const percent = (bp: number) =>
  `${(bp / 100).toLocaleString("fr-FR", { maximumFractionDigits: 2 })} %`;

/** One holder's whole rate on a bailleur for a year (ALS: rétrocession included), as the ceilings see it. */
export type Holding = { kind: ReservataireKind | "commune"; name: string; rateBp: number };

/**
 * French reason why a year's rates on one bailleur break a ceiling of the texts, or null. The message names the sum
 * and the rows. Ceilings (DESIGN §3): all rates ≤ 100 % of H, the remainder being the bailleur's (004 Annex 1,
 * l.502–527); collectivities — the MEL and the guaranteeing communes — ≤ 20 % (l.168, 178); ALS ≤ 25 % besides
 * its 1,3 % rétrocession (l.196–198); the SICF on ICF Habitat Nord-Est only (l.204), at most `sicfCapBp`
 * (SICF_ANNEX1_CAP_BP unless a signed SICF–ICF convention says otherwise).
 */
export function ceilingError(input: {
  bailleurName: string;
  bailleurSlug: string;
  year: number;
  holdings: readonly Holding[];
  sicfCapBp: number;
}): string | null {
  const on = `Sur ${input.bailleurName} en ${input.year}`;
  const rows = (holdings: readonly Holding[]) =>
    holdings.map((h) => `${h.name} ${percent(h.rateBp)}`).join(", ");
  const sum = (holdings: readonly Holding[]) => holdings.reduce((total, h) => total + h.rateBp, 0);
  const held = input.holdings.filter((h) => h.rateBp > 0);
  const sicf = held.filter((h) => h.kind === "sicf");
  if (sicf.length > 0 && input.bailleurSlug !== SICF_BAILLEUR)
    return `${on}, la SICF ne peut pas avoir de taux : elle ne réserve que sur ICF Habitat Nord-Est (convention cadre, l.204).`;
  const sicfRate = sum(sicf);
  if (sicfRate > input.sicfCapBp)
    return `${on}, le taux de la SICF serait ${percent(sicfRate)} : ${percent(input.sicfCapBp)} au plus. La convention cadre dit « 30 % au plus dans le Nord » (l.204) mais son annexe 1 « 25 % au plus » (l.505) : le plus strict s'applique, sauf convention SICF–ICF signée qui en dispose autrement.`;
  const als = held.filter((h) => h.kind === "action_logement");
  const alsOwn = sum(als) - RATES_BP.action_logement_retrocession * als.length;
  if (alsOwn > MAX_RATES_BP.action_logement)
    return `${on}, le taux d'Action Logement serait ${percent(sum(als))}, soit ${percent(alsOwn)} hors rétrocession de 1,3 % : 25 % au plus hors rétrocession (convention cadre, l.196–198).`;
  const collectivities = held.filter((h) => h.kind === "metropole" || h.kind === "commune");
  if (sum(collectivities) > MAX_RATES_BP.collectivities)
    return `${on}, les collectivités feraient ensemble ${percent(sum(collectivities))} : ${rows(collectivities)}. 20 % au plus ensemble, la part d'une commune garante étant prise sur celle de la MEL (convention cadre, l.168 et 178).`;
  if (sum(held) > 10_000)
    return `${on}, les taux signés feraient ${percent(sum(held))} : ${rows(held)}. Ensemble, ils ne peuvent dépasser 100 % de l'assiette H (le reste est le contingent propre du bailleur).`;
  return null;
}
