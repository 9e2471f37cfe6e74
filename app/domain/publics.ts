import type { PublicCategory } from "./signalement";

/**
 * THE classification of the publics an attribution served, used by every report (consumption, indicators, the
 * bailleurs' bilans, the MEL's bilan to the CIL, the comité's files). Defined once here; the database applies the
 * same rule through the SQL function `attribution_public_class` (migration 0017), whose agreement with
 * `publicClassOf` is tested on every input (tests/domain/publics.test.ts).
 *
 * Sources: 004 l. 451–454, the MEL's bilan to the CIL: « attributions aux ménages DALO-PDALHPD (DLS labellisées et
 * DLS estimées dans le SNE) ; mutations bloquées/complexes (DLS labellisées et DLS estimées dans le SNE) ;
 * attributions aux ménages NPRU ; attributions aux autres demandes ». A household declared as a CIA target in the
 * SNE is estimated in the SNE: it is one of the CIA targets (004 l. 217–220, 360), never an « autre demande »
 * (DESIGN §3 "Indicators"). NPRU rehousing is outside the flux (004 l. 242) and is its own line.
 */
export const PUBLIC_CLASSES = [
  {
    key: "dalo_pdalhpd",
    label: "DALO-PDALHPD (labellisés et estimés dans le SNE)",
    short: "DALO-PDALHPD",
    ciaTarget: true,
  },
  {
    key: "mbc",
    label: "Mutations bloquées/complexes (labellisées et estimées dans le SNE)",
    short: "MBC",
    ciaTarget: true,
  },
  {
    key: "cia_sne",
    label: "Publics cibles CIA déclarés dans le SNE",
    short: "Cibles CIA SNE",
    ciaTarget: true,
  },
  { key: "npru", label: "Relogements NPRU", short: "NPRU", ciaTarget: true },
  { key: "autres", label: "Autres demandes", short: "Autres", ciaTarget: false },
] as const;
export type PublicClass = (typeof PUBLIC_CLASSES)[number]["key"];

/** Rehousings taken out of the assiette (Annex 1, 004 l. 502–527: D NPRU, E ORCOD, F LHI, G sales). */
export const REHOUSINGS = ["none", "npru", "orcod", "lhi", "sale"] as const;
export type Rehousing = (typeof REHOUSINGS)[number];
export const REHOUSING_LABELS: Record<Rehousing, string> = {
  none: "Aucun relogement particulier",
  npru: "Relogement NPRU (colonne D)",
  orcod: "Relogement ORCOD (colonne E)",
  lhi: "Relogement LHI (colonne F)",
  sale: "Relogement pour vente (colonne G)",
};

const CLASS_OF_CATEGORY: Record<PublicCategory, PublicClass> = {
  dalo_labellise: "dalo_pdalhpd",
  pdalhpd_labellise: "dalo_pdalhpd",
  mbc_labellise: "mbc",
  cible_cia_declaree: "cia_sne",
  npru: "npru",
  autre: "autres",
};

/**
 * The one class of an attribution. An NPRU rehousing is NPRU whatever the household's public (ASSUMPTION: the CIL
 * bilan lists NPRU households apart, l. 453, and one attribution sits on one line); otherwise the public decides.
 */
export function publicClassOf(a: { publicCategory: PublicCategory; rehousing: Rehousing }): PublicClass {
  return a.rehousing === "npru" ? "npru" : CLASS_OF_CATEGORY[a.publicCategory];
}

/** The priority publics of 004 art. 5 and 9 (l. 244–246, 329–333): labelled DALO and PDALHPD households. */
export const isPriorityClass = (key: PublicClass) => key === "dalo_pdalhpd";

export const publicClassLabel = (key: string) => PUBLIC_CLASSES.find((c) => c.key === key)?.label ?? key;
