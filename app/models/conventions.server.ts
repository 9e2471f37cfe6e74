import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { z } from "zod";
import { type Db, db } from "#db/client.server";
import { conventionSignatures, conventions, negotiatedRates, organisations } from "#db/schema";
import { enqueueMails } from "#emails/outbox.server";
import { conventionSignatureMail, conventionToSignMail, type Mail } from "#emails/templates";
import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import {
  art2Error,
  bilateralPairError,
  CADRE_SIGNATORY_KINDS,
  type ConventionKind,
  editRefusal,
  financialAnnexErrors,
  managementError,
  publicsErrors,
  statusAfterSignatures,
} from "~/domain/convention";
import {
  avenantRateError,
  ceilingError,
  type Holding,
  MAX_RATES_BP,
  RATES_BP,
  type ReservataireKind,
  reservataireRateBp,
  SICF_ANNEX1_CAP_BP,
} from "~/domain/rights";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { type AuditActor, recordAudit } from "~/lib/audit.server";
import type { conventionResponse } from "~/lib/convention-responses";
import type {
  BilateralInput,
  CommuneShareInput,
  ConventionInput,
  DepartementActivationInput,
} from "~/lib/convention-schemas";
import { DomainError, notFoundError } from "~/lib/domain-error";
import { uuidParam } from "~/lib/route-params.server";
import { RESERVATAIRE_KINDS } from "./assiette.server";
import { ratesOfYear } from "./contingents.server";
import { memberEmails } from "./members.server";

/**
 * Conventions (004 lines 60–806): the MEL records the convention cadre, whose six signatory organisations each sign
 * it; a réservataire drafts a convention bilatérale with a bailleur from the model of Annex 2 (lines 560–806), both
 * signataires sign. A convention signed by every party is frozen: it changes only by avenant.
 *
 * The steps (`createConvention`, `editConvention`, `signConvention`, `readableConvention`) take the Actor and ask the
 * policy first; the pages and the API call them alike. The policy decides who may: 404 for a convention the actor
 * may not read, 403 for a step their role or side does not allow.
 */

type ConventionRow = typeof conventions.$inferSelect;
type Reservataire = { id: string; kind: string; name: string };
type Terms = Pick<
  ConventionRow,
  | "startYear"
  | "endYear"
  | "rateBp"
  | "management"
  | "publics"
  | "fluxVolume"
  | "initialRights"
  | "financialAnnex"
>;

type Optional = "financialAnnex" | "fluxVolume" | "initialRights";
/** The terms of a convention (model of Annex 2), from a row or an input (which may omit the annex and art. 2). */
const termsOf = (t: Omit<Terms, Optional> & { [K in Optional]?: Terms[K] | undefined }): Terms => ({
  startYear: t.startYear,
  endYear: t.endYear,
  rateBp: t.rateBp,
  management: t.management,
  publics: t.publics,
  fluxVolume: t.fluxVolume ?? null,
  initialRights: t.initialRights ?? null,
  financialAnnex: t.financialAnnex ?? null,
});

/** The policy's view of a convention: its drafter owns it, its parties read it, the cadre is known to all partners. */
export const conventionSubject = (row: Pick<ConventionRow, "drafterId" | "kind">, partyIds: string[]) => ({
  organisationId: row.drafterId,
  partyIds,
  published: row.kind === "cadre",
});

const conventionUrl = (baseUrl: string, id: string) => `${baseUrl}/conventions/${id}`;

async function partiesOf(tx: Db, conventionIds: string[]) {
  if (conventionIds.length === 0) return [];
  return tx
    .select({
      conventionId: conventionSignatures.conventionId,
      organisationId: conventionSignatures.organisationId,
      organisationName: organisations.name,
      organisationKind: organisations.kind,
      signedAt: conventionSignatures.signedAt,
      signerName: conventionSignatures.signerName,
    })
    .from(conventionSignatures)
    .innerJoin(organisations, eq(organisations.id, conventionSignatures.organisationId))
    .where(inArray(conventionSignatures.conventionId, conventionIds))
    .orderBy(asc(organisations.name));
}

type Party = Awaited<ReturnType<typeof partiesOf>>[number];

/** The JSON form of a convention (API, pages, PDF): its terms and each party's signature. */
export function conventionJson(row: ConventionRow, parties: Party[]): z.output<typeof conventionResponse> {
  const name = (id: string | null) => parties.find((p) => p.organisationId === id)?.organisationName ?? null;
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    drafter: { id: row.drafterId, name: name(row.drafterId) },
    bailleur: row.bailleurId ? { id: row.bailleurId, name: name(row.bailleurId) } : null,
    ...termsOf(row),
    signedAt: row.signedAt,
    signatures: parties.map((p) => ({
      organisation: { id: p.organisationId, name: p.organisationName, kind: p.organisationKind },
      signedAt: p.signedAt,
      signerName: p.signerName,
    })),
  };
}
export type ConventionJson = z.output<typeof conventionResponse>;

/**
 * The conventions the actor may read: those its organisation is party to, and the cadres (every partner knows them),
 * the SQL narrowing to those and the policy deciding on each.
 */
export async function listConventions(actor: Actor) {
  ensureCan(actor.ability, "read", "Convention");
  const organisationId = actor.organisation.id;
  const rows = await db
    .select()
    .from(conventions)
    .where(
      or(
        eq(conventions.kind, "cadre"),
        sql`exists (select 1 from ${conventionSignatures} s where s.convention_id = ${conventions.id} and s.organisation_id = ${organisationId})`,
      ),
    )
    .orderBy(asc(conventions.kind), asc(conventions.startYear), asc(conventions.title));
  const parties = await partiesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows
    .map((row) => {
      const own = parties.filter((p) => p.conventionId === row.id);
      return {
        subject: conventionSubject(
          row,
          own.map((p) => p.organisationId),
        ),
        json: conventionJson(row, own),
      };
    })
    .filter((c) => actor.ability.can("read", asSubject("Convention", c.subject)));
}

/** One convention with its policy subject, or null: for a step to ask the policy on. */
async function getConvention(id: string, tx: Db = db) {
  const [row] = await tx.select().from(conventions).where(eq(conventions.id, id));
  if (!row) return null;
  const parties = await partiesOf(tx, [id]);
  return {
    row,
    subject: conventionSubject(
      row,
      parties.map((p) => p.organisationId),
    ),
    json: conventionJson(row, parties),
  };
}

async function insertConvention(
  tx: Db,
  actor: AuditActor,
  values: typeof conventions.$inferInsert,
  partyIds: string[],
) {
  const [created] = await tx.insert(conventions).values(values).onConflictDoNothing().returning();
  if (!created)
    throw new DomainError(
      "conflict",
      values.kind === "cadre"
        ? `La convention cadre ${values.startYear}-${values.endYear} est déjà enregistrée.`
        : `Une convention bilatérale avec ce bailleur commence déjà en ${values.startYear} : modifiez-la ou passez par avenant.`,
    );
  await tx
    .insert(conventionSignatures)
    .values(partyIds.map((organisationId) => ({ conventionId: created.id, organisationId })));
  await recordAudit(tx, actor, {
    action: "convention.create",
    subjectType: "Convention",
    subjectId: created.id,
    after: { ...values, partyIds },
  });
  return created;
}

/** Mails the signataires of every party of a convention but `exceptId` (the one acting), each the same message. */
async function mailOtherParties(tx: Db, partyIds: string[], exceptId: string, build: (to: string) => Mail) {
  const recipients = await memberEmails(
    tx,
    partyIds.filter((id) => id !== exceptId),
    ["signataire"],
  );
  await enqueueMails(
    tx,
    recipients.map((r) => build(r.email)),
  );
}

/** Tells the other parties' signataires that the convention awaits their signature. */
const mailToSign = (tx: Db, row: ConventionRow, partyIds: string[], drafterName: string, baseUrl: string) =>
  mailOtherParties(tx, partyIds, row.drafterId, (to) =>
    conventionToSignMail({ to, title: row.title, drafterName, url: conventionUrl(baseUrl, row.id) }),
  );

/**
 * A document the MEL drafts for the convention cadre's signatories (every organisation of the six signatory kinds)
 * to sign: the cadre itself, or an avenant to it. They are asked to sign, in the same transaction.
 */
async function draftForCadreSignatories(
  tx: Db,
  actor: AuditActor,
  values: Omit<typeof conventions.$inferInsert, "drafterId" | "createdBy">,
  input: { mel: { id: string; name: string }; baseUrl: string },
) {
  const signatories = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(inArray(organisations.kind, [...CADRE_SIGNATORY_KINDS]));
  const partyIds = signatories.map((s) => s.id);
  const created = await insertConvention(
    tx,
    actor,
    { ...values, drafterId: input.mel.id, createdBy: actor.userId },
    partyIds,
  );
  await mailToSign(tx, created, partyIds, input.mel.name, input.baseUrl);
  return created;
}

/** The MEL records the convention cadre (004 l.60–470). */
async function createCadre(
  actor: AuditActor,
  input: { mel: { id: string; name: string }; startYear: number; endYear: number; baseUrl: string },
) {
  return db.transaction((tx) =>
    draftForCadreSignatories(
      tx,
      actor,
      {
        kind: "cadre",
        title: `Convention cadre de gestion en flux des contingents ${input.startYear}-${input.endYear}`,
        startYear: input.startYear,
        endYear: input.endYear,
      },
      input,
    ),
  );
}

/**
 * The MEL drafts the avenant to the convention cadre that activates the Département's contingent on a bailleur from
 * a year (004 l.188–192); the cadre's signatories sign it. From then the Département's signed bilatérales give
 * rights on that bailleur.
 */
async function createDepartementActivation(
  actor: AuditActor,
  input: DepartementActivationInput & { mel: { id: string; name: string }; baseUrl: string },
) {
  return db.transaction(async (tx) => {
    const bailleur = await bailleurOf(tx, input.bailleurId);
    return draftForCadreSignatories(
      tx,
      actor,
      {
        kind: "activation_departement",
        bailleurId: bailleur.id,
        title: `Avenant à la convention cadre : contingent du Département du Nord sur ${bailleur.name} (${input.startYear}-${input.endYear})`,
        startYear: input.startYear,
        endYear: input.endYear,
      },
      input,
    );
  });
}

/**
 * The MEL drafts a guaranteeing commune's share of its 20 % on a bailleur (004 l.178); the commune, the bailleur and
 * the MEL sign it. Checked against the collectivities' 20 % when drafted and when signed (`ensureCeilings`).
 */
async function createCommuneShare(
  actor: AuditActor,
  input: CommuneShareInput & { mel: { id: string; name: string; kind: string }; baseUrl: string },
) {
  return db.transaction(async (tx) => {
    const bailleur = await bailleurOf(tx, input.bailleurId);
    const noMel = bilateralPairError("metropole", bailleur.slug);
    if (noMel) throw new DomainError("unprocessable", noMel, { bailleurId: noMel });
    const [commune] = await tx
      .select({ id: organisations.id, kind: organisations.kind, name: organisations.name })
      .from(organisations)
      .where(and(eq(organisations.id, input.communeId), eq(organisations.kind, "commune")));
    if (!commune)
      throw new DomainError("invalid", "Commune inconnue : choisissez une commune de la MEL.", {
        communeId: "Commune inconnue.",
      });
    await ensureCeilings(tx, { ...input, holder: commune });
    const partyIds = [input.mel.id, commune.id, bailleur.id];
    const created = await insertConvention(
      tx,
      actor,
      {
        kind: "part_communale",
        drafterId: input.mel.id,
        bailleurId: bailleur.id,
        title: `Part communale de ${commune.name} sur ${bailleur.name} ${input.startYear}-${input.endYear}`,
        startYear: input.startYear,
        endYear: input.endYear,
        rateBp: input.rateBp,
        createdBy: actor.userId,
      },
      partyIds,
    );
    await mailToSign(tx, created, partyIds, input.mel.name, input.baseUrl);
    return created;
  });
}

/** French reasons, per field, why the terms of a bilatérale cannot be accepted for this réservataire. */
function termsErrors(reservataire: Reservataire, input: BilateralInput, bailleurSlug: string) {
  const errors: Record<string, string> = {};
  const pair = bilateralPairError(reservataire.kind, bailleurSlug);
  if (pair) errors.bailleurId = pair;
  // The État's and the MEL's rates are the convention cadre's (004 l.158–176); the others are checked against the
  // ceilings of the whole bailleur (`ensureCeilings`, 422).
  const rate =
    reservataire.kind === "etat" || reservataire.kind === "metropole"
      ? avenantRateError(reservataire.kind, input.rateBp)
      : !Number.isInteger(input.rateBp) || input.rateBp <= 0 || input.rateBp > 10_000
        ? "Un taux est compris entre 0 % (exclu) et 100 %."
        : null;
  if (rate) errors.rateBp = rate;
  const management = managementError(reservataire.kind, input.management);
  if (management) errors.management = management;
  const art2 = art2Error(input);
  if (art2) errors.initialRights = art2;
  for (const [key, message] of Object.entries(publicsErrors(reservataire.kind, input.publics)))
    errors[`publics.${key}`] = message;
  if (reservataire.kind === "metropole") {
    // The financial annex is the MEL's (model art. 7 and Annex 2, 004 lines 730, 772–800).
    if (!input.financialAnnex)
      errors.financialAnnex = "La MEL joint l'annexe financière (annexe 2 du modèle).";
    else
      for (const [key, message] of Object.entries(financialAnnexErrors(input.financialAnnex)))
        errors[`financialAnnex.${key}`] = message;
  } else if (input.financialAnnex)
    errors.financialAnnex = "L'annexe financière est propre aux conventions de la MEL.";
  return errors;
}

async function bailleurOf(tx: Db, id: string) {
  const [row] = await tx
    .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
    .from(organisations)
    .where(and(eq(organisations.id, id), eq(organisations.kind, "bailleur")));
  if (!row)
    throw new DomainError("invalid", "Bailleur inconnu : choisissez un bailleur de l'annuaire.", {
      bailleurId: "Bailleur inconnu.",
    });
  return row;
}

function ensureTerms(reservataire: Reservataire, input: BilateralInput, bailleurSlug: string) {
  const errors = termsErrors(reservataire, input, bailleurSlug);
  if (Object.keys(errors).length > 0)
    throw new DomainError(
      "invalid",
      "La convention n'est pas enregistrée : corrigez les champs indiqués.",
      errors,
    );
}

/** The kinds whose rate on a bailleur a bilatérale sets, and the part of it stored (ALS: outside its rétrocession). */
const SIGNED_RATE_KINDS = ["action_logement", "sicf", "departement"] as const;
const storedRateBp = (kind: string, rateBp: number) =>
  kind === "action_logement" ? Math.max(0, rateBp - RATES_BP.action_logement_retrocession) : rateBp;

/** The organisation whose rate a convention sets: a bilatérale's réservataire, a part communale's commune. */
type Holder = { id: string; kind: string; name: string };

/**
 * Refuses (`unprocessable`, 422) a rate that would break a ceiling on its bailleur in any year of its period, the
 * other rates being those signed for that year (`ceilingError`: sums and rows named); and a Département rate for a
 * year its contingent is not activated on the bailleur (004 l.188–192). Called when the rate is drafted and again at
 * each signature, since other rates may have been signed in between.
 */
async function ensureCeilings(
  tx: Db,
  terms: {
    conventionId?: string;
    holder: Holder;
    bailleurId: string;
    startYear: number;
    endYear: number;
    rateBp: number;
  },
) {
  const { holder } = terms;
  if (holder.kind !== "commune" && !(SIGNED_RATE_KINDS as readonly string[]).includes(holder.kind)) return;
  const reservataires = await tx
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
    .from(organisations)
    .where(inArray(organisations.kind, RESERVATAIRE_KINDS))
    .orderBy(asc(organisations.name));
  for (let year = terms.startYear; year <= terms.endYear; year++) {
    const [onBailleur] = await ratesOfYear(tx, year, { bailleurId: terms.bailleurId });
    if (!onBailleur) return;
    if (holder.kind === "departement" && !(await departementActive(tx, terms.bailleurId, year)))
      throw new DomainError(
        "unprocessable",
        `Le contingent du Département n'est pas activé sur ${onBailleur.bailleur.name} en ${year} : il faut d'abord un avenant à la convention cadre, signé par ses signataires, qui l'active sur ce bailleur (convention cadre, l.188–192).`,
        { startYear: "Contingent du Département non activé sur ce bailleur pour cette année." },
      );
    // A commune's share replaces its own earlier one and is carved out of the MEL's rate (004 l.178).
    const communes = [
      ...onBailleur.communes.filter((c) => c.id !== holder.id),
      ...(holder.kind === "commune" ? [{ name: holder.name, rateBp: terms.rateBp }] : []),
    ];
    const sharesBefore = onBailleur.communes.reduce((sum, c) => sum + c.rateBp, 0);
    const sharesAfter = communes.reduce((sum, c) => sum + c.rateBp, 0);
    const holdings: Holding[] = [
      ...reservataires.map((r) => {
        const kind = r.kind as ReservataireKind;
        const current = reservataireRateBp(kind, onBailleur.rates);
        return {
          kind,
          name: r.name,
          rateBp:
            r.id === holder.id
              ? terms.rateBp
              : kind === "metropole"
                ? Math.max(0, current + sharesBefore - sharesAfter)
                : current,
        };
      }),
      ...communes.map((c) => ({ kind: "commune" as const, name: c.name, rateBp: c.rateBp })),
    ];
    // A signed SICF–ICF convention may say more than Annex 1's 25 %, never more than l.204's 30 %.
    const signedSicf = onBailleur.signed
      .filter((s) => s.reservataire.kind === "sicf" && s.source.type === "convention")
      .filter((s) => s.source.conventionId !== terms.conventionId)
      .map((s) => s.rateBp);
    const error = ceilingError({
      bailleurName: onBailleur.bailleur.name,
      bailleurSlug: onBailleur.bailleur.slug,
      year,
      holdings,
      sicfCapBp: Math.min(MAX_RATES_BP.sicf, Math.max(SICF_ANNEX1_CAP_BP, ...signedSicf)),
    });
    if (error) throw new DomainError("unprocessable", error, { rateBp: error });
  }
}

/** Whether a signed avenant to the convention cadre activates the Département's contingent on the bailleur that year. */
async function departementActive(tx: Db, bailleurId: string, year: number) {
  const [activation] = await tx
    .select({ id: conventions.id })
    .from(conventions)
    .where(
      and(
        eq(conventions.kind, "activation_departement"),
        eq(conventions.status, "signed"),
        eq(conventions.bailleurId, bailleurId),
        sql`${conventions.startYear} <= ${year} and ${conventions.endYear} >= ${year}`,
      ),
    )
    .limit(1);
  return activation !== undefined;
}

/** The organisation whose rate a signed convention sets (see `Holder`), or null for one that sets none. */
async function holderOf(tx: Db, row: ConventionRow): Promise<Holder | null> {
  if (row.kind === "bilaterale") {
    const [drafter] = await tx
      .select({ id: organisations.id, kind: organisations.kind, name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, row.drafterId));
    return drafter ?? null;
  }
  if (row.kind === "part_communale") {
    const [commune] = await tx
      .select({ id: organisations.id, kind: organisations.kind, name: organisations.name })
      .from(conventionSignatures)
      .innerJoin(organisations, eq(organisations.id, conventionSignatures.organisationId))
      .where(and(eq(conventionSignatures.conventionId, row.id), eq(organisations.kind, "commune")));
    return commune ?? null;
  }
  return null;
}

/** Once every party signed, the convention's rate is the one in force for each year of its period. */
async function writeSignedRates(tx: Db, actor: AuditActor, row: ConventionRow, now: Date) {
  if (row.rateBp === null || !row.bailleurId) return;
  const holder = await holderOf(tx, row);
  if (
    !holder ||
    (holder.kind !== "commune" && !(SIGNED_RATE_KINDS as readonly string[]).includes(holder.kind))
  )
    return;
  const rateBp = storedRateBp(holder.kind, row.rateBp);
  const values = [];
  for (let year = row.startYear; year <= row.endYear; year++)
    values.push({
      reservataireId: holder.id,
      bailleurId: row.bailleurId,
      year,
      rateBp,
      conventionId: row.id,
      updatedBy: actor.userId,
      updatedAt: now,
    });
  await tx
    .insert(negotiatedRates)
    .values(values)
    .onConflictDoUpdate({
      target: [negotiatedRates.reservataireId, negotiatedRates.bailleurId, negotiatedRates.year],
      set: {
        rateBp: sql`excluded.rate_bp`,
        conventionId: sql`excluded.convention_id`,
        updatedBy: sql`excluded.updated_by`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
  await recordAudit(tx, actor, {
    action: "negotiated_rate.sign",
    subjectType: "NegotiatedRate",
    subjectId: row.id,
    after: { conventionId: row.id, bailleurId: row.bailleurId, rateBp, years: values.map((v) => v.year) },
  });
}

/** A réservataire drafts a bilatérale with a bailleur; the bailleur's signataires are told it awaits them. */
async function createBilaterale(
  actor: AuditActor,
  input: BilateralInput & { reservataire: Reservataire; baseUrl: string },
) {
  return db.transaction(async (tx) => {
    const bailleur = await bailleurOf(tx, input.bailleurId);
    ensureTerms(input.reservataire, input, bailleur.slug);
    await ensureCeilings(tx, { ...input, holder: input.reservataire, bailleurId: bailleur.id });
    const partyIds = [input.reservataire.id, bailleur.id];
    const created = await insertConvention(
      tx,
      actor,
      {
        kind: "bilaterale" satisfies ConventionKind,
        drafterId: input.reservataire.id,
        bailleurId: bailleur.id,
        title: `Convention bilatérale ${input.reservataire.name} – ${bailleur.name} ${input.startYear}-${input.endYear}`,
        ...termsOf(input),
        createdBy: actor.userId,
      },
      partyIds,
    );
    await mailToSign(tx, created, partyIds, input.reservataire.name, input.baseUrl);
    return created;
  });
}

async function lockConvention(tx: Db, id: string) {
  const [row] = await tx.select().from(conventions).where(eq(conventions.id, id)).for("update");
  if (!row) throw notFoundError("Cette convention");
  return row;
}

/** Changes the terms of a bilatérale nobody has signed yet; a signed one answers 409 (changes only by avenant). */
async function updateBilaterale(
  actor: AuditActor,
  input: BilateralInput & { id: string; reservataire: Reservataire },
) {
  return db.transaction(async (tx) => {
    const row = await lockConvention(tx, input.id);
    const refusal = editRefusal(row.status);
    if (refusal) throw new DomainError("conflict", refusal);
    if (row.kind !== "bilaterale" || row.bailleurId !== input.bailleurId)
      throw new DomainError(
        "conflict",
        "Le type et le bailleur d'une convention ne changent pas : établissez-en une autre.",
      );
    const bailleur = await bailleurOf(tx, input.bailleurId);
    ensureTerms(input.reservataire, input, bailleur.slug);
    await ensureCeilings(tx, {
      ...input,
      holder: input.reservataire,
      conventionId: row.id,
      bailleurId: bailleur.id,
    });
    const [updated] = await tx
      .update(conventions)
      .set({ ...termsOf(input), updatedAt: new Date() })
      .where(eq(conventions.id, row.id))
      .returning();
    await recordAudit(tx, actor, {
      action: "convention.update",
      subjectType: "Convention",
      subjectId: row.id,
      before: termsOf(row),
      after: termsOf(input),
    });
    return updated!;
  });
}

/**
 * Records the signature of the actor's organisation; the other parties' signataires are told. Once every party has
 * signed the convention is frozen. A second signature of the same party answers 409.
 */
async function recordSignature(
  actor: AuditActor & { name: string },
  { id, baseUrl, now }: { id: string; baseUrl: string; now: Date },
) {
  return db.transaction(async (tx) => {
    const row = await lockConvention(tx, id);
    const holder = await holderOf(tx, row);
    if (holder && row.bailleurId && row.rateBp !== null)
      await ensureCeilings(tx, {
        ...row,
        conventionId: row.id,
        bailleurId: row.bailleurId,
        rateBp: row.rateBp,
        holder,
      });
    const [signature] = await tx
      .update(conventionSignatures)
      .set({ signedAt: now, signedBy: actor.userId, signerName: actor.name })
      .where(
        and(
          eq(conventionSignatures.conventionId, row.id),
          eq(conventionSignatures.organisationId, actor.organisationId!),
          sql`${conventionSignatures.signedAt} is null`,
        ),
      )
      .returning();
    if (!signature) throw new DomainError("conflict", "Votre organisation a déjà signé cette convention.");
    const parties = await tx
      .select({
        organisationId: conventionSignatures.organisationId,
        signedAt: conventionSignatures.signedAt,
      })
      .from(conventionSignatures)
      .where(eq(conventionSignatures.conventionId, row.id));
    const signed = parties.filter((p) => p.signedAt !== null).length;
    const status = statusAfterSignatures(signed, parties.length);
    const [updated] = await tx
      .update(conventions)
      .set({ status, signedAt: status === "signed" ? now : null, updatedAt: now })
      .where(eq(conventions.id, row.id))
      .returning();
    if (status === "signed") await writeSignedRates(tx, actor, updated!, now);
    const [signer] = await tx
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, actor.organisationId!));
    await mailOtherParties(
      tx,
      parties.map((p) => p.organisationId),
      actor.organisationId!,
      (to) =>
        conventionSignatureMail({
          to,
          title: row.title,
          signerOrganisation: signer!.name,
          complete: status === "signed",
          url: conventionUrl(baseUrl, row.id),
        }),
    );
    await recordAudit(tx, actor, {
      action: "convention.sign",
      subjectType: "Convention",
      subjectId: row.id,
      before: { status: row.status },
      after: { status, signedBy: actor.name, signedAt: now },
    });
    return updated!;
  });
}

/** A convention the actor may read (else 404). */
export async function readableConvention(actor: Actor, rawId: string | undefined) {
  const found = await getConvention(uuidParam(rawId, "Cette convention"));
  ensureCanOn(actor.ability, "read", "Convention", found?.subject, "Cette convention");
  return found!;
}

/** Creates a bilatérale (a réservataire) or the cadre, an avenant to it, a part communale (the MEL). */
export async function createConvention(actor: Actor, input: ConventionInput, baseUrl: string) {
  const who = auditActorOf(actor);
  if (input.kind === "cadre") {
    ensureCan(actor.ability, "create", "ConventionCadre", "Seule la MEL enregistre la convention cadre.");
    return createCadre(who, { mel: actor.organisation, ...input, baseUrl });
  }
  if (input.kind === "activation_departement" || input.kind === "part_communale") {
    // An avenant to the cadre, or a share of the MEL's own contingent: the MEL drafts them (004 l.178, 188–192).
    ensureCan(
      actor.ability,
      "create",
      "ConventionCadre",
      "Seule la MEL établit les avenants à la convention cadre et les parts communales.",
    );
    return input.kind === "activation_departement"
      ? createDepartementActivation(who, { mel: actor.organisation, ...input, baseUrl })
      : createCommuneShare(who, { mel: actor.organisation, ...input, baseUrl });
  }
  ensureCan(actor.ability, "create", "Convention", "Seul un réservataire établit une convention bilatérale.");
  ensureCanOn(actor.ability, "create", "Convention", {
    organisationId: actor.organisation.id,
    partyIds: [actor.organisation.id],
    published: false,
  });
  return createBilaterale(who, { ...input, reservataire: actor.organisation, baseUrl });
}

/** Changes a draft bilatérale (its drafter only; 409 once signed). */
export async function editConvention(actor: Actor, rawId: string | undefined, input: BilateralInput) {
  const found = await readableConvention(actor, rawId);
  ensureCanOn(actor.ability, "update", "Convention", found.subject, "Cette convention");
  return updateBilaterale(auditActorOf(actor), {
    ...input,
    id: found.row.id,
    reservataire: actor.organisation,
  });
}

/** The actor's organisation signs (its signataire only); `now` dates the signature (the demo world's past). */
export async function signConvention(
  actor: Actor,
  rawId: string | undefined,
  baseUrl: string,
  now = new Date(),
) {
  const found = await readableConvention(actor, rawId);
  if (!actor.ability.can("create", asSubject("ConventionSignature", found.subject)))
    throw new DomainError("forbidden", "Seul le signataire d'une partie signe cette convention.");
  return recordSignature(auditActorOf(actor), { id: found.row.id, baseUrl, now });
}
