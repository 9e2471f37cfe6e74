/**
 * How a flat is described across the portal (signalements, attributions, bilans, new programmes). Financing
 * products: 004 art. 11 indicators (PLAI) and DESIGN §3; the bilan of decree 2020‑145 is split "by typology,
 * financing, in/out QPV, commune and construction period" (DESIGN §3).
 */

/** A flat's size, the last band open-ended (« T6 et plus »). */
export const TYPOLOGIES = ["T1", "T2", "T3", "T4", "T5", "T6"] as const;
export type Typology = (typeof TYPOLOGIES)[number];
export const TYPOLOGY_LABELS: Record<Typology, string> = {
  T1: "T1",
  T2: "T2",
  T3: "T3",
  T4: "T4",
  T5: "T5",
  T6: "T6 et plus",
};

export const FINANCINGS = ["plai", "plus", "pls", "pli", "autre"] as const;
export type Financing = (typeof FINANCINGS)[number];
export const FINANCING_LABELS: Record<Financing, string> = {
  plai: "PLAI",
  plus: "PLUS",
  pls: "PLS",
  pli: "PLI",
  autre: "Autre financement",
};

/**
 * ASSUMPTION: the seeds name the construction period without its bands; these are the bands of the répertoire du
 * parc locatif social (RPLS), which bailleurs already fill in.
 */
export const CONSTRUCTION_PERIODS = [
  "avant_1949",
  "1949_1974",
  "1975_1989",
  "1990_2004",
  "2005_2014",
  "depuis_2015",
] as const;
export type ConstructionPeriod = (typeof CONSTRUCTION_PERIODS)[number];
export const CONSTRUCTION_PERIOD_LABELS: Record<ConstructionPeriod, string> = {
  avant_1949: "Avant 1949",
  "1949_1974": "1949 à 1974",
  "1975_1989": "1975 à 1989",
  "1990_2004": "1990 à 2004",
  "2005_2014": "2005 à 2014",
  depuis_2015: "Depuis 2015",
};
