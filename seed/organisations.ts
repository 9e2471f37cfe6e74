import { createRequire } from "node:module";
import type { OrganisationKind } from "#db/schema";

export type OrganisationSeed = {
  kind: OrganisationKind;
  slug: string;
  name: string;
  inseeCode?: string;
  siren?: string;
};

/** SIREN of the Métropole Européenne de Lille, which is also its EPCI code in the COG. */
export const MEL_EPCI_CODE = "200093201";

/** The partners of the convention cadre 2024‑2026 other than bailleurs and communes (004, lines 60–120; DESIGN §2). */
const PARTNERS: OrganisationSeed[] = [
  { kind: "metropole", slug: "mel", name: "Métropole Européenne de Lille", siren: MEL_EPCI_CODE },
  { kind: "etat", slug: "etat", name: "Préfet du Nord (DDTM)" },
  { kind: "departement", slug: "departement-nord", name: "Département du Nord" },
  { kind: "urh", slug: "urh", name: "Union Régionale pour l'Habitat Hauts-de-France" },
  { kind: "action_logement", slug: "action-logement", name: "Action Logement Services Hauts-de-France" },
  { kind: "sicf", slug: "sicf", name: "Société Immobilière des Chemins de Fer (SICF)" },
];

/**
 * The bailleurs of Annex 1 of the convention cadre, in its order (004, lines 508–526).
 * The seed's OCR spellings are corrected: "Créence" is Clésence, "Norvêie" is Norévie, "Villogia" is Vilogia.
 */
const BAILLEURS: Array<[slug: string, name: string]> = [
  ["habitat-du-nord", "Habitat du Nord"],
  ["maisons-et-cites", "Maisons & Cités"],
  ["lille-metropole-habitat", "Lille Métropole Habitat"],
  ["partenord-habitat", "Partenord Habitat"],
  ["icf-habitat-nord-est", "ICF Habitat Nord-Est"],
  ["clesence", "Clésence"],
  ["sia-habitat", "SIA Habitat"],
  ["sigh", "SIGH"],
  ["habitat-hauts-de-france", "Habitat Hauts-de-France"],
  ["3f-notre-logis", "3F Notre Logis"],
  ["cottage-social-des-flandres", "Cottage Social des Flandres"],
  ["logifim", "LogiFim"],
  ["logis-metropole", "Logis Métropole"],
  ["norevie", "Norévie"],
  ["promocil", "Promocil"],
  ["tisserin-habitat", "Tisserin Habitat"],
  ["vilogia", "Vilogia"],
  ["flandre-opale-habitat", "Flandre Opale Habitat"],
  ["cdc-habitat", "CDC Habitat"],
];

/** Bailleurs' slugs in Annex 1's order (tables and exports follow it; others after, by name). */
export const ANNEX1_BAILLEUR_ORDER: readonly string[] = BAILLEURS.map(([slug]) => slug);

/** The communes of the MEL, from the official COG data (never a hand-typed list). */
export function melCommunes(): OrganisationSeed[] {
  // Read at run time rather than bundled: the COG file is 4 MB.
  const epcis: Array<{ code: string; membres: Array<{ code: string; nom: string; siren: string }> }> =
    createRequire(import.meta.url)("@etalab/decoupage-administratif/data/epci.json");
  const mel = epcis.find((epci) => epci.code === MEL_EPCI_CODE);
  if (!mel) throw new Error(`EPCI ${MEL_EPCI_CODE} absent des données du COG`);
  return mel.membres.map((commune) => ({
    kind: "commune" as const,
    slug: `commune-${commune.code}`,
    name: commune.nom,
    inseeCode: commune.code,
    siren: commune.siren,
  }));
}

export function allOrganisations(): OrganisationSeed[] {
  return [
    ...PARTNERS,
    ...BAILLEURS.map(([slug, name]) => ({ kind: "bailleur" as const, slug, name })),
    ...melCommunes(),
  ];
}

/** Organisations that get one demo user per role: all but the communes, plus Lille, Roubaix and Tourcoing. */
export const DEMO_COMMUNE_CODES = ["59350", "59512", "59599"];

export function demoOrganisationSlugs(): string[] {
  return allOrganisations()
    .filter((o) => o.kind !== "commune" || DEMO_COMMUNE_CODES.includes(o.inseeCode ?? ""))
    .map((o) => o.slug);
}
