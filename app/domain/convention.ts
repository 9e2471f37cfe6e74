import { BAILLEUR_WITHOUT_MEL_CONTINGENT, SICF_BAILLEUR } from "./rights";

/**
 * Conventions: the convention cadre 2024-2026 (004 lines 60–470) signed by its six signatory organisations, and the
 * conventions bilatérales each réservataire signs with a bailleur from the model of Annex 2 (004 lines 560–806).
 * One place for their rules: the model, the API and the pages ask here.
 */

/**
 * `activation_departement`: an avenant to the cadre activating the Département's contingent on one bailleur from a
 * year (004 l.188–192); `part_communale`: a guaranteeing commune's share of the MEL's 20 % on one bailleur, signed by
 * the commune, the bailleur and the MEL (l.178). Both are drafted by the MEL.
 */
export const CONVENTION_KINDS = ["cadre", "bilaterale", "activation_departement", "part_communale"] as const;
export type ConventionKind = (typeof CONVENTION_KINDS)[number];

/** draft → signing (a first party signed: the text no longer changes) → signed (every party: frozen). */
export const CONVENTION_STATUSES = ["draft", "signing", "signed"] as const;
export type ConventionStatus = (typeof CONVENTION_STATUSES)[number];

export const CONVENTION_STATUS_LABELS: Record<ConventionStatus, string> = {
  draft: "Projet",
  signing: "En cours de signature",
  signed: "Signée",
};

/** The kinds of organisation that sign the convention cadre (004 lines 465–480; preamble line 573). */
export const CADRE_SIGNATORY_KINDS = [
  "etat",
  "departement",
  "metropole",
  "urh",
  "action_logement",
  "sicf",
] as const;

/** Gestion directe (the réservataire presents candidates) or déléguée (the bailleur designates) (004 art. 4.1). */
export const MANAGEMENT_MODES = ["direct", "delegated"] as const;
export type ManagementMode = (typeof MANAGEMENT_MODES)[number];
export const MANAGEMENT_LABELS: Record<ManagementMode, string> = {
  direct: "Gestion directe",
  delegated: "Gestion déléguée au bailleur",
};

/** Each convention lasts 3 years from 1 January 2024 (cadre: 004 line 463; bilatérale art. 7: line 728). */
export const CONVENTION_PERIOD = { startYear: 2024, endYear: 2026 } as const;

/**
 * The publics of a contingent, in % of it (model art. 3, 004 lines 599–607; MEL deliberation, line 4585):
 * CIA target households, of which DALO-PDALHPD labelled and blocked/complex transfers (MBC) labelled; the rest
 * goes to all other demands.
 */
export type PublicsSplit = { ciaTargetsPct: number; daloPct: number; mbcPct: number };

/** The MEL's split: one attribution in two to CIA targets (line 601), ≥ 25 % DALO (603), ≥ 15 % MBC (4585). */
export const MEL_PUBLICS: PublicsSplit = { ciaTargetsPct: 50, daloPct: 25, mbcPct: 15 };

export const othersPct = (split: PublicsSplit) => 100 - split.ciaTargetsPct;

/** French reasons why a publics split cannot be signed (empty when it can). */
export function publicsErrors(
  reservataireKind: string,
  split: PublicsSplit,
): Partial<Record<keyof PublicsSplit, string>> {
  const errors: Partial<Record<keyof PublicsSplit, string>> = {};
  for (const key of ["ciaTargetsPct", "daloPct", "mbcPct"] as const) {
    const value = split[key];
    if (!Number.isInteger(value) || value < 0 || value > 100)
      errors[key] = "Indiquez un pourcentage entier entre 0 et 100.";
  }
  if (Object.keys(errors).length > 0) return errors;
  if (split.daloPct + split.mbcPct > split.ciaTargetsPct)
    errors.daloPct = `DALO-PDALHPD (${split.daloPct} %) et mutations bloquées/complexes (${split.mbcPct} %) font partie des publics cibles (${split.ciaTargetsPct} %) : leur somme ne peut pas les dépasser.`;
  if (reservataireKind === "metropole") {
    if (split.ciaTargetsPct !== MEL_PUBLICS.ciaTargetsPct)
      errors.ciaTargetsPct =
        "Contingent MEL : une attribution sur deux aux publics cibles de la CIA, soit 50 % (convention, art. 3).";
    else if (split.daloPct < MEL_PUBLICS.daloPct)
      errors.daloPct = "Contingent MEL : au moins 25 % pour les demandes DALO-PDALHPD labellisées (art. 3).";
    if (split.mbcPct < MEL_PUBLICS.mbcPct)
      errors.mbcPct =
        "Contingent MEL : au moins 15 % pour les mutations bloquées/complexes labellisées (délibération du 15/12/2023).";
  } else if (reservataireKind !== "sicf" && split.daloPct < 25) {
    // The regulatory 25 % of every contingent for priority households, SICF excepted (004 lines 290, 647).
    errors.daloPct =
      "Au moins 25 % du contingent vont aux ménages prioritaires DALO-PDALHPD (obligation réglementaire).";
  }
  return errors;
}

/**
 * Art. 2 of the model (004 l. 585–587): « le flux d'attributions du bailleur … s'élève à [VOLUME DU FLUX] » and « au
 * 1er janvier 2024, le nombre d'attributions … réservées … est de [XXX] ». Both optional (a draft may leave them
 * blank); the rights are a part of the flux. French reason, or null.
 */
export function art2Error(terms: {
  fluxVolume?: number | null;
  initialRights?: number | null;
}): string | null {
  const { fluxVolume, initialRights } = terms;
  if (fluxVolume == null || initialRights == null) return null;
  return initialRights > fluxVolume
    ? `Les droits au 1er janvier (${initialRights}) ne peuvent dépasser le flux de l'année (${fluxVolume} attributions).`
    : null;
}

/** French reason why a réservataire may not hold a contingent on this bailleur, or null. */
export function bilateralPairError(reservataireKind: string, bailleurSlug: string): string | null {
  if (reservataireKind === "metropole" && bailleurSlug === BAILLEUR_WITHOUT_MEL_CONTINGENT)
    return "La MEL n'a pas de contingent sur Partenord Habitat (convention cadre, titre 1).";
  if (reservataireKind === "sicf" && bailleurSlug !== SICF_BAILLEUR)
    return "La SICF ne réserve que sur ICF Habitat Nord-Est (convention cadre, titre 1).";
  return null;
}

/** The MEL's management mode is déléguée (model art. 4.1, 004 line 619). */
export function managementError(reservataireKind: string, mode: ManagementMode): string | null {
  return reservataireKind === "metropole" && mode !== "delegated"
    ? "Le contingent métropolitain est en gestion déléguée au bailleur (convention, art. 4.1)."
    : null;
}

/** The years of the MEL's financial annex (Annex 2 of the model, 004 lines 772–790). */
export const ANNEX_YEARS = [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023] as const;

/** Amounts in whole euros. */
export type FinancialAnnex = {
  /** Per year: loans' conventions expired vs new outstanding guaranteed by the MEL (Annex 2 §1). */
  years: Array<{ year: number; expiredEur: number; newGuaranteedEur: number }>;
  /** Loans guaranteed at this rate, 100 % so far (§2, line 794). */
  guaranteeRatePct: number;
  /** MEL subsidies per product, total and paid (§3, line 798). */
  subsidies: { plai: { totalEur: number; paidEur: number }; plus: { totalEur: number; paidEur: number } };
};

/** The types the schema stores as JSON. */
export type ConventionTypes = { publics: PublicsSplit; financialAnnex: FinancialAnnex };

export function emptyFinancialAnnex(): FinancialAnnex {
  return {
    years: ANNEX_YEARS.map((year) => ({ year, expiredEur: 0, newGuaranteedEur: 0 })),
    guaranteeRatePct: 100,
    subsidies: { plai: { totalEur: 0, paidEur: 0 }, plus: { totalEur: 0, paidEur: 0 } },
  };
}

/** The totals rows of Annex 2 (§1 "Total", §3 "Total général"). */
export function annexTotals(annex: FinancialAnnex) {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    expiredEur: sum(annex.years.map((y) => y.expiredEur)),
    newGuaranteedEur: sum(annex.years.map((y) => y.newGuaranteedEur)),
    subsidiesTotalEur: annex.subsidies.plai.totalEur + annex.subsidies.plus.totalEur,
    subsidiesPaidEur: annex.subsidies.plai.paidEur + annex.subsidies.plus.paidEur,
  };
}

/** French reasons why a financial annex is inconsistent (empty when it is not). */
export function financialAnnexErrors(annex: FinancialAnnex): Record<string, string> {
  const errors: Record<string, string> = {};
  const years = annex.years.map((y) => y.year).sort();
  if (years.join() !== ANNEX_YEARS.join())
    errors.years = "L'annexe financière donne une ligne par année de 2015 à 2023.";
  for (const product of ["plai", "plus"] as const) {
    const { totalEur, paidEur } = annex.subsidies[product];
    if (paidEur > totalEur)
      errors[`subsidies.${product}.paidEur`] =
        `Subventions ${product.toUpperCase()} : le montant payé (${paidEur} €) dépasse le montant total (${totalEur} €).`;
  }
  return errors;
}

/** Who still has to sign, and the status once `signed` of `total` parties have signed. */
export function statusAfterSignatures(signed: number, total: number): ConventionStatus {
  if (signed === 0) return "draft";
  return signed >= total ? "signed" : "signing";
}

/** Only a draft nobody has signed may change: from the first signature the text is fixed, once signed it is frozen. */
export function editRefusal(status: ConventionStatus): string | null {
  if (status === "signed")
    return "Cette convention est signée par toutes les parties : elle ne peut plus être modifiée que par avenant.";
  if (status === "signing")
    return "Cette convention est en cours de signature : son texte ne peut plus être modifié.";
  return null;
}
