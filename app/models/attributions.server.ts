import { and, desc, eq, gte, inArray, isNull, lt, ne, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { z } from "zod";
import { type Db, db, queryRows } from "#db/client.server";
import { attributionReads, attributions, organisations } from "#db/schema";
import { asSubject } from "#policies/ability";
import { ensureCan, reachesAll } from "#policies/guard.server";
import type { AttributionContext } from "~/domain/attribution";
import { normaliseNumeroUnique } from "~/domain/signalement";
import type { Actor } from "~/lib/actor.server";
import type { attributionBatchResultResponse } from "~/lib/attribution-responses";
import { type AttributionFilters, attributionSchema } from "~/lib/attribution-schemas";
import { recordAudit } from "~/lib/audit.server";
import { isIsoDay, parisDay } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import {
  type AttributionError,
  checkAttributions,
  type InsertBatch,
  insertBatches,
  leaseDatesOf,
  MAX_ERRORS_SHOWN,
} from "./attribution-rows.server";
import { contingentPairs, ratesOfYear } from "./contingents.server";
import { listQpvs } from "./qpv.server";

export type { AttributionError } from "./attribution-rows.server";

/**
 * The database's view of what the rules need (`AttributionContext`), for the recording bailleur, today: the
 * contingents held on it in each year the leases fall in (rates are per year, DESIGN §3).
 */
export async function contextFor(
  actor: Actor,
  now: Date,
  leaseDates: Iterable<string>,
  tx: Db = db,
): Promise<AttributionContext> {
  const today = parisDay(now);
  const years = new Set<number>();
  for (const leaseDate of leaseDates)
    if (leaseDate >= "2015" && leaseDate <= today) years.add(Number(leaseDate.slice(0, 4)));
  const bailleurId = actor.organisation.id;
  const [referential, orgs, ...perYear] = await Promise.all([
    listQpvs(actor, {}, tx),
    tx
      .select({
        id: organisations.id,
        kind: organisations.kind,
        slug: organisations.slug,
        name: organisations.name,
        inseeCode: organisations.inseeCode,
      })
      .from(organisations)
      .where(inArray(organisations.kind, ["bailleur", "commune"])),
    ...[...years].map(async (year) => ({
      year,
      pairs: await contingentPairs(tx, { bailleurId, year }),
      rates: await ratesOfYear(tx, year, { bailleurId }),
    })),
  ]);
  return {
    today,
    recordingBailleurSlug: actor.organisation.slug,
    bailleurs: new Map(orgs.filter((o) => o.kind === "bailleur").map((o) => [o.slug, o])),
    communes: new Map(
      orgs.filter((o) => o.kind === "commune" && o.inseeCode).map((o) => [o.inseeCode as string, o.id]),
    ),
    holders: new Map(
      perYear.flatMap(({ year, pairs }) =>
        pairs.map((p) => [
          `${year}:${p.reservataire.kind}:${p.bailleur.id}`,
          { id: p.reservataire.id, rateBp: p.rateBp },
        ]),
      ),
    ),
    communeShares: new Set(
      perYear.flatMap(({ year, rates }) =>
        rates.flatMap((r) => r.communes.map((c) => `${year}:${c.id}:${r.bailleur.id}`)),
      ),
    ),
    qpvs: new Map(referential.map((q) => [q.code, q])),
  };
}

/** What a batch or a file recorded: the answer of `POST /attributions` and of the import (`attributionBatchResultResponse`). */
export type RecordResult = z.output<typeof attributionBatchResultResponse>;

type Prepared = typeof attributions.$inferInsert;

/** The inserted columns, as the JSON rows name them and as `json_to_recordset` types them. */
const INSERTED = Object.entries({
  bailleurId: "uuid",
  numeroUnique: "text",
  leaseDate: "date",
  communeInsee: "text",
  qpv: "boolean",
  qpvCode: "text",
  typology: "text",
  financing: "text",
  pmr: "boolean",
  firstLetting: "boolean",
  constructionPeriod: "text",
  publicCategory: "text",
  transfer: "text",
  incomeQuartile: "integer",
  refusalsAfterCaleol: "integer",
  contingent: "text",
  reservataireId: "uuid",
  countsOnRights: "boolean",
  rehousing: "text",
  eligibility: "text",
  createdBy: "uuid",
} satisfies Partial<Record<keyof Prepared, string>>).map(([key, type]) => ({
  column: attributions[key as keyof Prepared & keyof typeof attributions.$inferSelect].name,
  key,
  type,
}));
const INSERT_COLUMNS = sql.raw(INSERTED.map((c) => c.column).join(", "));
const RECORD_COLUMNS = sql.raw(INSERTED.map((c) => `"${c.key}"`).join(", "));
const RECORD_TYPES = sql.raw(INSERTED.map((c) => `"${c.key}" ${c.type}`).join(", "));

/**
 * Inserts rows in one statement whose only parameter is the rows as JSON (`json_to_recordset`): 5 000 rows cost one
 * parameter instead of 90 000, and the server parses them in C. Existing natural keys are skipped; returns how many
 * rows are new.
 */
async function insertChunk(tx: Db, rows: string): Promise<number> {
  const [inserted] = await queryRows<{ n: number }>(
    sql`with inserted as (
      insert into ${attributions} (${INSERT_COLUMNS})
      select ${RECORD_COLUMNS} from json_to_recordset(${rows}::json) as r(${RECORD_TYPES})
      on conflict (bailleur_id, numero_unique, lease_date) do nothing
      returning 1
    ) select count(*)::int as n from inserted`,
    tx,
  );
  return Number(inserted?.n ?? 0);
}

/**
 * Flags the households of `keys` (numéro unique and lease date) recorded by two bailleurs with the same lease date (issue 15: one household, two
 * leases on one day, is a duplicate to resolve, not two attributions): both rows are marked `duplicate`, visible to
 * the MEL and to each bailleur, and only the first recorded counts (on rights, in the indicators and the bilans)
 * until one is withdrawn: the later is `counted_elsewhere`.
 */
async function flagDuplicates(tx: Db, keys: string): Promise<void> {
  const other = sql`from ${attributions} b where b.numero_unique = a.numero_unique and b.lease_date = a.lease_date
    and b.bailleur_id <> a.bailleur_id`;
  await tx.execute(sql`with hit as (
      select a.id, exists (select 1 ${other} and (b.created_at, b.id) < (a.created_at, a.id)) as earlier
      from ${attributions} a
      join (select distinct n, d from json_to_recordset(${keys}::json) as k(n text, d date)) k
        on a.numero_unique = k.n and a.lease_date = k.d
      where not a.duplicate and exists (select 1 ${other}))
    update ${attributions} a set duplicate = true, counted_elsewhere = hit.earlier,
      counts_on_rights = a.counts_on_rights and not hit.earlier
    from hit where a.id = hit.id`);
}

/** Only a bailleur records attributions, and only its own. */
export function ensureCanRecord(actor: Actor): void {
  ensureCan(actor.ability, "create", "Attribution", "Seul un bailleur enregistre ses attributions.");
  if (!actor.ability.can("create", asSubject("Attribution", { organisationId: actor.organisation.id })))
    throw new DomainError("forbidden", "Seul un bailleur enregistre ses attributions.");
}

/** The refusal of a batch with invalid rows (400): the first errors, and how many there are. */
export class AttributionRejection extends DomainError {
  constructor(
    readonly rowErrors: readonly AttributionError[],
    errorCount: number,
    inFile: boolean,
  ) {
    const shown = rowErrors.slice(0, MAX_ERRORS_SHOWN);
    super(
      "invalid",
      `${errorCount === 1 ? "Une attribution est invalide" : `${errorCount} erreurs`} : rien n'a été enregistré. Corrigez ${inFile ? "le fichier" : "l'envoi"} et renvoyez-le en entier.`,
      {},
      { errors: shown, errorCount },
    );
  }
}

/**
 * Inserts checked rows in ONE transaction (a process killed midway leaves nothing), `on conflict do nothing` on the
 * natural key (bailleur, numéro unique, lease date): re-sending the same rows changes nothing and is reported as
 * already known. One audit entry per batch. Each batch is a statement of its own: other requests run in between.
 */
export async function insertAttributions(
  actor: Actor,
  batches: readonly InsertBatch[],
  options: {
    source: "form" | "api" | "import";
    /** Awaited after each chunk is inserted, inside the transaction (the killed-import test pauses there). */
    onChunk?: (inserted: number) => void | Promise<void>;
  },
): Promise<RecordResult> {
  return db.transaction(async (tx) => {
    let created = 0;
    let received = 0;
    for (const batch of batches) {
      created += await insertChunk(tx, batch.rows);
      await flagDuplicates(tx, batch.keys);
      received += batch.count;
      await options.onChunk?.(received);
    }
    const result = { received, created, alreadyKnown: received - created };
    await recordAudit(
      tx,
      { userId: actor.user.id, organisationId: actor.organisation.id },
      { action: `attribution.${options.source}`, subjectType: "Attribution", after: result },
    );
    return result;
  });
}

/**
 * Records a batch of attributions (the form, the API), all or nothing: every row is checked first, and any invalid
 * row rejects the whole batch (400, `errors: [{ index, field, message }]`); the valid batch is inserted by
 * `insertAttributions`. A file is imported by `importAttributionFile`, checked in a worker thread.
 */
export async function recordAttributions(
  actor: Actor,
  raws: readonly unknown[],
  options: { source: "form" | "api"; now?: Date },
): Promise<RecordResult> {
  ensureCanRecord(actor);
  const parsed = raws.map((raw) => attributionSchema.safeParse(raw));
  const context = await contextFor(actor, options.now ?? new Date(), leaseDatesOf(parsed));
  const { rows, errors } = await checkAttributions(parsed, context, actor.user.id);
  if (errors.length > 0) throw new AttributionRejection(errors, errors.length, false);
  return insertAttributions(actor, insertBatches(rows), options);
}

/**
 * Records one attribution in the caller's transaction (a signalement's « Bail signé »: one entry for both), with
 * the same checks as a batch. The same lease already recorded (bailleur, numéro unique, date) is linked, not
 * entered twice. Returns its id and whether it is new.
 */
export async function recordAttributionIn(
  tx: Db,
  actor: Actor,
  raw: unknown,
  now: Date,
): Promise<{ id: string; created: boolean }> {
  if (!actor.ability.can("create", asSubject("Attribution", { organisationId: actor.organisation.id })))
    throw new DomainError("forbidden", "Seul un bailleur enregistre ses attributions.");
  const parsed = [attributionSchema.safeParse(raw)];
  const context = await contextFor(actor, now, leaseDatesOf(parsed), tx);
  const { rows, errors } = await checkAttributions(parsed, context, actor.user.id);
  if (errors.length > 0)
    throw new DomainError(
      "invalid",
      `Attribution incomplète : ${errors.map((e) => e.message).join(" ")}`,
      Object.fromEntries(errors.map((e) => [e.field, e.message])),
    );
  const row = rows[0]!;
  const created = (await insertChunk(tx, insertBatches([row])[0]!.rows)) > 0;
  const [found] = await tx
    .select({ id: attributions.id })
    .from(attributions)
    .where(
      and(
        eq(attributions.bailleurId, row.bailleurId),
        eq(attributions.numeroUnique, row.numeroUnique),
        eq(attributions.leaseDate, row.leaseDate),
      ),
    );
  if (created)
    await recordAudit(
      tx,
      { userId: actor.user.id, organisationId: actor.organisation.id },
      { action: "attribution.signalement", subjectType: "Attribution", subjectId: found!.id },
    );
  return { id: found!.id, created };
}

/**
 * The same visibility as `attributionPolicyRow`, as SQL (lists never load what the actor may not read), given as
 * alternatives that do not overlap: one for most actors (none for whoever reads all), two for a commune, its own
 * contingent's and the MEL's in its territory. The list reads each alternative apart, newest first along its own
 * index: their OR made PostgreSQL walk every lease of the country by date (20 s for a commune's page on the national
 * data set, `npm run bench`).
 */
async function visibleAlternatives(actor: Actor): Promise<Array<SQL | undefined>> {
  ensureCan(actor.ability, "read", "Attribution");
  if (reachesAll(actor.ability, "read", "Attribution")) return [undefined];
  const own = actor.organisation.id;
  if (actor.organisation.kind === "bailleur") return [eq(attributions.bailleurId, own)];
  const ownContingent = eq(attributions.reservataireId, own);
  if (actor.organisation.kind !== "commune") return [ownContingent];
  const [commune] = await db
    .select({ inseeCode: organisations.inseeCode })
    .from(organisations)
    .where(eq(organisations.id, own));
  if (!commune?.inseeCode) return [ownContingent];
  return [
    ownContingent,
    and(
      eq(attributions.contingent, "mel"),
      eq(attributions.communeInsee, commune.inseeCode),
      or(isNull(attributions.reservataireId), ne(attributions.reservataireId, own)),
    ),
  ];
}

/** Newest lease first, then the greater id: the list's order, the same as PostgreSQL's on (lease_date, id). */
const newestFirst = (a: { leaseDate: string; id: string }, b: { leaseDate: string; id: string }) =>
  b.leaseDate.localeCompare(a.leaseDate) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export const ATTRIBUTION_PAGE_SIZE = 100;

/** A keyset cursor: the last row's lease date and id (stable under inserts, unlike an offset). */
const encodeCursor = (leaseDate: string, id: string) =>
  Buffer.from(`${leaseDate}|${id}`).toString("base64url");
function decodeCursor(cursor: string): { leaseDate: string; id: string } {
  const [leaseDate, id] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!leaseDate || !id || !isIsoDay(leaseDate) || !/^[0-9a-f-]{36}$/i.test(id))
    throw new DomainError("invalid", "Curseur de page invalide : repartez de la première page.");
  return { leaseDate, id };
}

const bailleurOrg = alias(organisations, "bailleur");
const reservataireOrg = alias(organisations, "reservataire");

/**
 * One page of the attributions the actor may read, newest lease first, with filters (year, bailleur, contingent,
 * commune, numéro unique) and a keyset cursor for the next page. Each attribution shown is logged as read (`via`).
 */
export async function listAttributions(
  actor: Actor,
  filters: AttributionFilters,
  options: { via: "page" | "api"; limit?: number },
) {
  const limit = Math.min(options.limit ?? ATTRIBUTION_PAGE_SIZE, 1000);
  const after = filters.cursor ? decodeCursor(filters.cursor) : undefined;
  const filtered = and(
    filters.year ? gte(attributions.leaseDate, `${filters.year}-01-01`) : undefined,
    filters.year ? lt(attributions.leaseDate, `${filters.year + 1}-01-01`) : undefined,
    filters.bailleur ? eq(bailleurOrg.slug, filters.bailleur) : undefined,
    filters.reservataire ? eq(reservataireOrg.slug, filters.reservataire) : undefined,
    filters.contingent ? eq(attributions.contingent, filters.contingent) : undefined,
    filters.commune ? eq(attributions.communeInsee, filters.commune) : undefined,
    filters.numeroUnique
      ? eq(attributions.numeroUnique, normaliseNumeroUnique(filters.numeroUnique))
      : undefined,
    after
      ? sql`(${attributions.leaseDate}, ${attributions.id}) < (${after.leaseDate}, ${after.id})`
      : undefined,
  );
  const pageOf = (visible: SQL | undefined) =>
    db
      .select({
        id: attributions.id,
        numeroUnique: attributions.numeroUnique,
        leaseDate: attributions.leaseDate,
        bailleur: { slug: bailleurOrg.slug, name: bailleurOrg.name },
        communeInsee: attributions.communeInsee,
        qpv: attributions.qpv,
        qpvCode: attributions.qpvCode,
        typology: attributions.typology,
        financing: attributions.financing,
        pmr: attributions.pmr,
        firstLetting: attributions.firstLetting,
        constructionPeriod: attributions.constructionPeriod,
        publicCategory: attributions.publicCategory,
        transfer: attributions.transfer,
        incomeQuartile: attributions.incomeQuartile,
        refusalsAfterCaleol: attributions.refusalsAfterCaleol,
        contingent: attributions.contingent,
        reservataire: { slug: reservataireOrg.slug, name: reservataireOrg.name },
        countsOnRights: attributions.countsOnRights,
        rehousing: attributions.rehousing,
        eligibility: attributions.eligibility,
        duplicate: attributions.duplicate,
      })
      .from(attributions)
      .innerJoin(bailleurOrg, eq(bailleurOrg.id, attributions.bailleurId))
      .leftJoin(reservataireOrg, eq(reservataireOrg.id, attributions.reservataireId))
      .where(and(visible, filtered))
      .orderBy(desc(attributions.leaseDate), desc(attributions.id))
      .limit(limit + 1);
  const pages = await Promise.all((await visibleAlternatives(actor)).map(pageOf));
  const rows =
    pages.length === 1
      ? pages[0]!
      : pages
          .flat()
          .sort(newestFirst)
          .slice(0, limit + 1);
  const page = rows.slice(0, limit);
  if (page.length > 0)
    await db.insert(attributionReads).values(
      page.map((row) => ({
        attributionId: row.id,
        userId: actor.user.id,
        organisationId: actor.organisation.id,
        via: options.via,
      })),
    );
  const last = page.at(-1);
  return {
    attributions: page,
    nextCursor: rows.length > limit && last ? encodeCursor(last.leaseDate, last.id) : null,
  };
}
export type AttributionListRow = Awaited<ReturnType<typeof listAttributions>>["attributions"][number];
