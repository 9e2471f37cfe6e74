/**
 * The MEL deliberation of 15 Dec 2023: an assiette of 6 790 attributions, of which 1 121 for the MEL (DESIGN §3).
 * A consistent split by bailleur: Partenord Habitat (no MEL contingent, 004 l.176) 1 185, so that
 * 20 % × (6 790 − 1 185) = 1 121; the others' H are multiples of 5, so no rounding.
 */
export const ASSIETTE_2023: Readonly<Record<string, number>> = {
  "partenord-habitat": 1185,
  vilogia: 1400,
  "lille-metropole-habitat": 1250,
  "maisons-et-cites": 900,
  "habitat-du-nord": 555,
  "3f-notre-logis": 500,
  "sia-habitat": 400,
  "icf-habitat-nord-est": 300,
  norevie: 300,
};
