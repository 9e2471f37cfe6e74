/**
 * An attribution (a lease signed) and the one contingent it counts on. Source: 004 art. 7 and 11, model art. 5.2
 * and 6; DESIGN §3. Pure rules: no database, no framework.
 */

import type { Rehousing } from "./publics";
import { type QpvOfReferential, qpvCodeRefusal } from "./qpv";
import { BAILLEUR_WITHOUT_MEL_CONTINGENT, RATES_BP, SICF_BAILLEUR } from "./rights";

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

export const ATTRIBUTION_CONTINGENT_LABELS: Record<AttributionContingent, string> = {
  etat: "État (contingent préfectoral)",
  etat_agents: "État — agents publics",
  mel: "MEL",
  commune: "Commune",
  departement: "Département",
  action_logement: "Action Logement",
  action_logement_retrocession: "Action Logement — rétrocession",
  sicf: "SICF",
  none: "Aucun contingent",
};

export const TRANSFER_LABELS: Record<Transfer, string> = {
  none: "Aucune mutation",
  internal: "Mutation interne",
  inter_bailleur: "Mutation inter-bailleurs",
};

/**
 * The kind of organisation holding each contingent. `etat_agents` is part of the État's own contingent (≤ 5 % of
 * the flux for State employees, 004 l. 160); both Action Logement contingents are ALS's (004 l. 158–162, 196–198);
 * `commune` is the commune of the flat (a guaranteeing commune shares the collectivities' part, 004 l. 168).
 */
export const CONTINGENT_HOLDER_KIND = {
  etat: "etat",
  etat_agents: "etat",
  mel: "metropole",
  commune: "commune",
  departement: "departement",
  action_logement: "action_logement",
  action_logement_retrocession: "action_logement",
  sicf: "sicf",
  none: null,
} as const satisfies Record<AttributionContingent, string | null>;
export type ContingentHolderKind = NonNullable<(typeof CONTINGENT_HOLDER_KIND)[AttributionContingent]>;

/**
 * Whether an attribution is outside the flux: NPRU rehousing and internal transfers (004 art. 5, l. 242; model
 * art. 5.2 footnote l. 638), and the ORCOD, LHI and sale rehousings that Annex 1 takes out of H (columns E–G,
 * 004 l. 502–527). Inter-bailleur transfers are in the flux.
 */
export const outsideFlux = (a: { publicCategory: string; transfer: Transfer; rehousing: Rehousing }) =>
  a.publicCategory === "npru" || a.rehousing !== "none" || a.transfer === "internal";

/**
 * Whether an attribution consumes rights: it counts on one contingent (004 art. 7, l. 266: "une même attribution
 * ne peut être valorisée sur plusieurs contingents") unless it is outside the flux (`outsideFlux`).
 */
export function countsOnRights(a: {
  contingent: AttributionContingent;
  publicCategory: string;
  transfer: Transfer;
  rehousing: Rehousing;
}): boolean {
  return a.contingent !== "none" && !outsideFlux(a);
}

/** The eligibility ALS and SICF record on their contingents (004 l. 248–250): PEEC employee, SNCF agent. */
export const ELIGIBILITIES = ["peec_employee", "sncf_agent"] as const;
export type Eligibility = (typeof ELIGIBILITIES)[number];
export const ELIGIBILITY_LABELS: Record<Eligibility, string> = {
  peec_employee: "Salarié d'une entreprise assujettie à la PEEC",
  sncf_agent: "Agent SNCF",
};
const ELIGIBILITY_OF: Partial<Record<AttributionContingent, Eligibility>> = {
  action_logement: "peec_employee",
  action_logement_retrocession: "peec_employee",
  sicf: "sncf_agent",
};

/** One attribution as typed in a form, a file or the API, once its shape is checked (see attribution-schemas). */
export type AttributionInput = {
  numeroUnique: string;
  /** YYYY-MM-DD. */
  leaseDate: string;
  bailleurSlug: string;
  communeInsee: string;
  qpv: boolean;
  /** The quartier prioritaire, when named (normalised code), else null. */
  qpvCode: string | null;
  contingent: AttributionContingent;
  publicCategory: string;
  transfer: Transfer;
  rehousing: Rehousing;
  eligibility: Eligibility | null;
};

/** What the rules need from the database, looked up once per batch. */
export type AttributionContext = {
  /** Today in Europe/Paris, YYYY-MM-DD. */
  today: string;
  /** The bailleur recording (a bailleur records its own attributions only). */
  recordingBailleurSlug: string;
  /** Bailleurs by slug. */
  bailleurs: ReadonlyMap<string, { id: string; name: string }>;
  /** The MEL's communes (organisations of kind commune) by INSEE code → organisation id. */
  communes: ReadonlyMap<string, string>;
  /**
   * `${year}:${holderKind}:${bailleurId}` → the réservataire holding a contingent on that bailleur that year and its
   * whole rate there (`contingentPairs`).
   */
  holders: ReadonlyMap<string, { id: string; rateBp: number }>;
  /** `${year}:${communeId}:${bailleurId}`: the communes holding a signed share of the MEL's 20 % (004 l.178). */
  communeShares: ReadonlySet<string>;
  /** The MEL's referential of quartiers prioritaires by code (decision 0025). */
  qpvs: ReadonlyMap<string, QpvOfReferential>;
};

export type AttributionFieldError = { field: string; message: string };

export type ResolvedAttribution = {
  bailleurId: string;
  /** `none` for an attribution outside the flux, whatever was typed (it is counted on no contingent). */
  contingent: AttributionContingent;
  reservataireId: string | null;
  countsOnRights: boolean;
};

const frenchDate = (iso: string) => iso.split("-").reverse().join("/");

/**
 * The rules one attribution must meet beyond its shape, each with a French message naming the field:
 * - the bailleur exists and is the one recording;
 * - the commune is one of the MEL's (the convention cadre covers the MEL's territory only; the INSEE code alone
 *   would let a typo such as 59530 for 59350 through, and a `commune` contingent needs the commune's organisation);
 * - a QPV code names a quartier of the MEL's referential in the flat's commune, and the flat is then en QPV
 *   (`qpvCodeRefusal`, decision 0025);
 * - the lease is signed: its date is not in the future (assignment at the radiation of the DLS, 004 art. 7 l. 268;
 *   model art. 5.3 l. 706);
 * - the contingent is held on this bailleur (`contingentPairs`: MEL everywhere but Partenord Habitat 004 l. 176,
 *   SICF on ICF Habitat Nord-Est only 004 l. 204, ALS and SICF where a rate was negotiated, Département not
 *   activated 004 l. 188–190).
 * - an MBC household is a transfer (a « mutation bloquée ou complexe », 004 l. 333: internal or inter-bailleur);
 * - the eligibility (PEEC employee, SNCF agent) is recorded on ALS and SICF contingents only, and matches them;
 * - an attribution outside the flux (`outsideFlux`) is recorded without a contingent: it consumes no rights, and the
 *   art. 11 figures must not show it under a réservataire (issue 15).
 * Returns the bailleur, the réservataire it counts on and whether it consumes rights, or the errors.
 */
export function resolveAttribution(
  input: AttributionInput,
  context: AttributionContext,
): { ok: true; value: ResolvedAttribution } | { ok: false; errors: AttributionFieldError[] } {
  const errors: AttributionFieldError[] = [];
  const bailleur = context.bailleurs.get(input.bailleurSlug);
  if (!bailleur)
    errors.push({
      field: "bailleurSlug",
      message: `Bailleur « ${input.bailleurSlug} » inconnu : indiquez l'identifiant d'un bailleur de l'annuaire (par exemple « ${context.recordingBailleurSlug} »).`,
    });
  else if (input.bailleurSlug !== context.recordingBailleurSlug)
    errors.push({
      field: "bailleurSlug",
      message: `Vous enregistrez les attributions de votre organisation seulement (« ${context.recordingBailleurSlug} »), pas celles de ${bailleur.name}.`,
    });
  const communeId = context.communes.get(input.communeInsee);
  if (!communeId)
    errors.push({
      field: "communeInsee",
      message: `Commune ${input.communeInsee} inconnue : indiquez le code INSEE d'une commune de la MEL (par exemple 59350 pour Lille), pas le code postal.`,
    });
  const qpvRefusal = communeId ? qpvCodeRefusal(input, context.qpvs) : null;
  if (qpvRefusal) errors.push({ field: "qpvCode", message: qpvRefusal });
  if (input.leaseDate > context.today)
    errors.push({
      field: "leaseDate",
      message: `Date du bail dans le futur (${frenchDate(input.leaseDate)}) : une attribution s'enregistre une fois le bail signé.`,
    });

  if (input.publicCategory === "mbc_labellise" && input.transfer === "none")
    errors.push({
      field: "transfer",
      message:
        "Une mutation bloquée ou complexe (MBC) est une mutation : indiquez « mutation interne » ou « mutation inter-bailleurs ».",
    });
  const outside = outsideFlux(input);
  const contingent = outside ? "none" : input.contingent;
  const expected = ELIGIBILITY_OF[contingent];
  if (input.eligibility && input.eligibility !== expected)
    errors.push({
      field: "eligibility",
      message: expected
        ? `Sur ce contingent, l'éligibilité est « ${ELIGIBILITY_LABELS[expected]} ».`
        : "L'éligibilité (salarié PEEC, agent SNCF) ne se renseigne que sur les contingents d'Action Logement et de la SICF.",
    });

  let reservataireId: string | null = null;
  const holderKind = CONTINGENT_HOLDER_KIND[contingent];
  const year = input.leaseDate.slice(0, 4);
  // Contingents are per year and looked up on the recording bailleur (DESIGN §3): a lease in the future or another
  // bailleur's row has its own error.
  const dated = input.leaseDate <= context.today && input.bailleurSlug === context.recordingBailleurSlug;
  if (dated && holderKind === "commune" && communeId && bailleur) {
    // A commune's contingent exists only where a convention signed by the commune, the bailleur and the MEL carved
    // its share out of the MEL's 20 % (004 l.178; DESIGN §3).
    if (context.communeShares.has(`${year}:${communeId}:${bailleur.id}`)) reservataireId = communeId;
    else
      errors.push({
        field: "contingent",
        message: `La commune ${input.communeInsee} n'a pas de part du contingent de la MEL chez ${bailleur.name} en ${year} : aucune convention signée par la commune, le bailleur et la MEL ne l'ouvre. Choisissez le contingent « MEL », ou « aucun ».`,
      });
  } else if (dated && holderKind && holderKind !== "commune" && bailleur) {
    const holder = context.holders.get(`${year}:${holderKind}:${bailleur.id}`);
    // ALS's own contingent needs a rate negotiated with the bailleur beyond the 1,3 % rétrocession (004 l. 196–198).
    const held =
      holder && (contingent !== "action_logement" || holder.rateBp > RATES_BP.action_logement_retrocession);
    reservataireId = held ? holder.id : null;
    if (!held)
      errors.push({
        field: "contingent",
        message: contingentRefusal(contingent, bailleur.name, input.bailleurSlug),
      });
  }
  if (errors.length > 0 || !bailleur) return { ok: false, errors };
  return {
    ok: true,
    value: {
      bailleurId: bailleur.id,
      contingent,
      reservataireId,
      countsOnRights: countsOnRights({ ...input, contingent }),
    },
  };
}

function contingentRefusal(
  contingent: AttributionContingent,
  bailleurName: string,
  bailleurSlug: string,
): string {
  if (contingent === "mel" && bailleurSlug === BAILLEUR_WITHOUT_MEL_CONTINGENT)
    return `La MEL n'a pas de contingent chez ${bailleurName} (garanti par le Département, convention cadre) : choisissez un autre contingent, ou « aucun ».`;
  if (contingent === "sicf" && bailleurSlug !== SICF_BAILLEUR)
    return `La SICF ne réserve que chez ICF Habitat Nord-Est : ${bailleurName} n'a pas de contingent SICF. Choisissez un autre contingent, ou « aucun ».`;
  return `${bailleurName} n'a pas de convention ouvrant un contingent « ${ATTRIBUTION_CONTINGENT_LABELS[contingent]} » : choisissez le contingent d'un réservataire conventionné, ou « aucun ».`;
}

/**
 * What a policy sees of an attribution: its bailleur (`organisationId`) and its parties — the bailleur, the
 * réservataire it counts on and, on the MEL contingent, the commune of the flat, which manages that contingent
 * "en proximité" (DESIGN §4: "a commune those in its territory on the MEL contingent").
 */
export function attributionPolicyRow(row: {
  bailleurId: string;
  reservataireId: string | null;
  contingent: AttributionContingent;
  communeOrganisationId: string | null;
}) {
  const partyIds = [row.bailleurId, row.reservataireId];
  if (row.contingent === "mel") partyIds.push(row.communeOrganisationId);
  return { organisationId: row.bailleurId, partyIds: partyIds.filter((id): id is string => !!id) };
}
