/** Labels and formats of the reports, shared by the pages and the exports. */

export const formatShare = (share: number | null) =>
  share === null ? "—" : `${(Math.round(share * 1000) / 10).toLocaleString("fr-FR")} %`;

export const RIGHTS_SOURCE_LABELS = {
  avenant: "Avenant accepté",
  provisional_avenant: "Provisoire (courrier non accepté)",
  provisional_assiette: "Provisoire (assiette publiée)",
} as const;

export const FIGURE_COLUMNS = [
  ["total", "Attributions"],
  ["t4plus", "T4 et plus"],
  ["plai", "PLAI"],
  ["pmr", "PMR"],
  ["firstLetting", "Offre nouvelle (1re mise en location)"],
  ["refusals", "Refus après courrier CALEOL"],
] as const;
