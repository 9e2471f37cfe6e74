import type { Forecast } from "~/domain/rights";
import type { Random } from "./random";

/**
 * The demo world's assiette: H by bailleur of Annex 1 (004 l.502–527), adding up to the 6 790 attributions of the
 * MEL's example (004 l.4571), of which 1 121 for the MEL: 20 % of every bailleur's H but Partenord Habitat's (no MEL
 * contingent, 004 l.176), 20 % × (6 790 − 1 185) = 1 121. Each H is a multiple of 5, so 20 % of it needs no rounding.
 */
export const DEMO_H: Readonly<Record<string, number>> = {
  "habitat-du-nord": 400,
  "maisons-et-cites": 650,
  "lille-metropole-habitat": 1000,
  "partenord-habitat": 1185,
  "icf-habitat-nord-est": 250,
  clesence: 150,
  "sia-habitat": 300,
  sigh: 180,
  "habitat-hauts-de-france": 150,
  "3f-notre-logis": 350,
  "cottage-social-des-flandres": 100,
  logifim: 95,
  "logis-metropole": 200,
  norevie: 250,
  promocil: 120,
  "tisserin-habitat": 90,
  vilogia: 1050,
  "flandre-opale-habitat": 70,
  "cdc-habitat": 200,
};
export const DEMO_TOTAL_H = 6790;
export const DEMO_MEL_RIGHTS = 1121;

/** The bailleur whose forecast of the current year comes late, after the publication: added by a rectificatif. */
export const LATE_BAILLEUR = "flandre-opale-habitat";

/** Annex 1's columns around a given H: plausible internal transfers and rehousings outside the flux (H = A − C − … − G). */
export function forecastFor(h: number, random: Random): Forecast {
  const c = Math.round(h * (0.06 + random.next() * 0.04));
  const d = Math.round(h * random.next() * 0.05);
  const e = random.chance(0.2) ? random.int(1, 5) : 0;
  const f = random.chance(0.3) ? random.int(1, 4) : 0;
  const g = random.chance(0.4) ? random.int(1, 6) : 0;
  const a = h + c + d + e + f + g;
  return { a, b: Math.round(a * 0.05), c, d, e, f, g };
}
