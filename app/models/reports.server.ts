import { and, asc, eq, gt, inArray, ne, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { z } from "zod";
import { db } from "#db/client.server";
import {
  assietteVersionRows,
  assietteVersions,
  attributions,
  avenants,
  consumptionRollups,
  indicatorRollups,
  organisations,
} from "#db/schema";
import { asSubject } from "#policies/ability";
import { reachesAll } from "#policies/guard.server";
import {
  CONSUMPTION_STATES,
  type Consumption,
  type ConsumptionCounts,
  type ConsumptionState,
  consumptionOf,
  type HolderKind,
  type MaskedCount,
  maskConsumption,
  maskSmallCount,
  type RightsSource,
  yearProgress,
} from "~/domain/consumption";
import { assietteH, type ReservataireKind } from "~/domain/rights";
import type { Actor } from "~/lib/actor.server";
import { parisDay } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import { policyWhere } from "~/lib/policy-sql.server";
import { CONSUMPTION_PAGE_ROWS, type ConsumptionQuery, type IndicatorFilters } from "~/lib/report-schemas";
import { fieldErrors } from "~/lib/validation";
import { annexRows, versionInForce } from "./assiette.server";
import { contingentPairs } from "./contingents.server";
import { cachedReport } from "./report-cache.server";

/**
 * Reports on attributions (issue 5; 004 art. 11; DESIGN §3–4): consumption of rights per réservataire × bailleur ×
 * year, and the art. 11 indicators. Every figure is aggregated in the database (GROUP BY): the attributions table
 * holds millions of rows. Who sees what is the actor's rules for the report, turned into SQL (reportScopeOf); figures
 * shown to a commune are masked here (maskSmallCount), so that no route can forget it.
 */

// ── Scope ─────────────────────────────────────────────────────────────────────────────────────────────────────────

/** A report table's columns that the policy's `party` rows name (policies/rules.ts, "Reports"). */
type PartyColumns = { reservataireId: AnyPgColumn; bailleurId: AnyPgColumn; communeInsee?: AnyPgColumn };

/** What an actor reads of a report: the policy's rules, as SQL and per pair, and whether counts are masked. */
type ReportScope = {
  /** The rows readable, on a report table's columns: the actor's rules for the subject (undefined: every row). */
  where: (columns: PartyColumns) => SQL | undefined;
  /** Whether the policy lets the actor read a réservataire × bailleur pair's line. */
  readsPair: (reservataireId: string, bailleurId: string) => boolean;
  /** What the figures depend on, for the cache: every row, or the acting organisation's. */
  key: string;
  /** A commune sees counts under 5 masked (secret statistique) and the metropolitan averages: what is shown. */
  masked: boolean;
};

/**
 * The report's scope, derived from the policy (policies/rules.ts, "Reports"): a report row carries `partyIds` =
 * [its réservataire, its bailleur, and for indicators the organisation of the flat's commune]; a rule's condition on
 * them becomes SQL through `policyWhere`. Refuses when the subject is not readable at all.
 */
function reportScopeOf(actor: Actor, subject: "ConsumptionReport" | "IndicatorReport"): ReportScope {
  if (!actor.ability.can("read", subject))
    throw new DomainError("forbidden", "Votre rôle ne permet pas cette action.");
  const partyOf = (columns: PartyColumns) => (id: unknown) =>
    or(
      eq(columns.reservataireId, id),
      eq(columns.bailleurId, id),
      columns.communeInsee
        ? eq(
            columns.communeInsee,
            sql`(select ${organisations.inseeCode} from ${organisations} where ${organisations.id} = ${id})`,
          )
        : undefined,
    )!;
  return {
    where: (columns) => policyWhere(actor.ability, "read", subject, { partyIds: partyOf(columns) }),
    readsPair: (reservataireId, bailleurId) =>
      actor.ability.can("read", asSubject(subject, { partyIds: [reservataireId, bailleurId] })),
    key: reachesAll(actor.ability, "read", subject) ? "all" : actor.organisation.id,
    masked: actor.organisation.kind === "commune",
  };
}

/** A cached body is kept encoded: encoding hundreds of kilobytes of French text on each read would cost more than the rest. */
const encodeJson = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** Parses report filters from a query string (the schema says each default); 400 with French messages. */
export function parseReportFilters<T extends z.ZodType>(params: URLSearchParams, schema: T): z.infer<T> {
  const parsed = schema.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    throw new DomainError("invalid", `Filtres invalides : ${Object.values(errors).join(" ")}`, errors);
  }
  return parsed.data;
}

// ── Consumption ───────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The attributions counted on rights per réservataire × bailleur for a year, as the actor may read them. Exported
 * for the bench, which times this bare SQL against the HTTP report.
 */
export const consumptionCountsQuery = (actor: Actor, year: number) =>
  consumptionCounts(reportScopeOf(actor, "ConsumptionReport"), year);

/** Read from the rollup the database keeps in step with the attributions (COUNTING_RULE, migration 0012's trigger). */
function consumptionCounts(scope: ReportScope, year: number) {
  const r = consumptionRollups;
  return db
    .select({
      reservataireId: r.reservataireId,
      bailleurId: r.bailleurId,
      counted: r.counted,
      priority: r.priority,
      ciaTargets: r.ciaTargets,
      mbc: r.mbc,
      stateAgents: r.stateAgents,
    })
    .from(r)
    .where(and(eq(r.year, year), gt(r.counted, 0), scope.where(r)));
}

type Party = { id: string; slug: string; name: string };
/** One collator for the sort (`localeCompare(…, "fr")` builds one per call: hundreds of rows, thousands of calls). */
const byName = new Intl.Collator("fr");
export type ConsumptionRow = {
  reservataire: Party & { kind: HolderKind };
  bailleur: Party;
  fluxH: number | null;
  /** The version of the year's assiette the rights come from (the letter's, else the latest published). */
  assietteVersion: number | null;
} & Omit<Consumption, "counted" | "projected" | "remaining"> & {
    counted: MaskedCount;
    projected: MaskedCount | null;
    remaining: number | null;
  };

const AVENANT_RIGHTS: Partial<Record<string, RightsSource>> = {
  accepted: "avenant",
  tacitly_accepted: "avenant",
  draft: "provisional_avenant",
  sent: "provisional_avenant",
  contested: "provisional_avenant",
};

/**
 * Consumption of rights for a year, as the actor may see it: one row per réservataire × bailleur pair holding a
 * contingent (contingentPairs) or having attributions counted. Rights: the accepted or tacitly accepted avenant;
 * before that, provisional: the letter's rights (draft, sent, contested), else rate × H of the published assiette.
 */
export async function consumptionReport(
  actor: Actor,
  year: number,
  now = new Date(),
): Promise<ConsumptionRow[]> {
  return consumptionRows(reportScopeOf(actor, "ConsumptionReport"), year, now);
}

/**
 * The consumption report with the page's and the API's filters (`consumptionQuerySchema`): réservataire, bailleur,
 * commune (pairs with attributions counted there: rights are per bailleur, so the figures stay the pair's), state;
 * pairs with neither rights nor attributions only with `empty`; sorted by réservataire, then by `sort`.
 */
export async function filteredConsumptionReport(
  actor: Actor,
  query: ConsumptionQuery,
  now = new Date(),
): Promise<ConsumptionRow[]> {
  const scope = reportScopeOf(actor, "ConsumptionReport");
  return filterConsumption(await consumptionRows(scope, query.year, now), query, scope);
}

/**
 * The reports as published to every commune (comité reporting, 004 l. 396): the actor's rows (every row for the MEL,
 * which attaches them), masked as a commune's page masks them (counts under 5 and what would reveal them).
 */
export async function communesReports(actor: Actor, year: number, now = new Date()) {
  const [consumption, indicators] = await Promise.all([
    consumptionRows({ ...reportScopeOf(actor, "ConsumptionReport"), masked: true }, year, now),
    indicatorFigures({ ...reportScopeOf(actor, "IndicatorReport"), masked: true }, { year, qpv: undefined }),
  ]);
  return { consumption, indicators };
}

type GroupTotal = {
  rights: number | null;
  counted: number | null;
  remaining: number | null;
  bailleurs: number;
};
/** A sum of figures, unknown (null) as soon as one is masked (« < 5 »): a sub-total must not reveal it. */
const sumOf = (values: Array<MaskedCount | number | null>) =>
  values.every((v) => typeof v === "number" || v === null)
    ? (values as Array<number | null>).reduce<number>((s, v) => s + (v ?? 0), 0)
    : null;

/**
 * The page: one page of the filtered rows, with what describes all of them (how many in each state, each
 * réservataire's sub-totals), the réservataires and bailleurs of the whole report for the filters' lists, and whether
 * counts are masked. A page past the last shows the last.
 */
export async function consumptionPage(
  actor: Actor,
  query: ConsumptionQuery,
  { page = 1, rowsPerPage = CONSUMPTION_PAGE_ROWS } = {},
  now = new Date(),
) {
  const scope = reportScopeOf(actor, "ConsumptionReport");
  const all = await sharedConsumptionRows(scope, query.year, now);
  const options = (pick: (r: ConsumptionRow) => Party) =>
    [...new Map(all.map((r) => [pick(r).slug, pick(r).name])).entries()]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => byName.compare(a.label, b.label));
  const rows = await filterConsumption([...all], query, scope);
  const pageCount = Math.max(1, Math.ceil(rows.length / rowsPerPage));
  const current = Math.min(page, pageCount);
  const shown = rows.slice((current - 1) * rowsPerPage, current * rowsPerPage);
  const ofReservataire = new Map<string, ConsumptionRow[]>();
  for (const r of rows) {
    const group = ofReservataire.get(r.reservataire.slug);
    if (group) group.push(r);
    else ofReservataire.set(r.reservataire.slug, [r]);
  }
  const groupTotals: Record<string, GroupTotal> = {};
  for (const slug of new Set(shown.map((r) => r.reservataire.slug))) {
    const group = ofReservataire.get(slug)!;
    groupTotals[slug] = {
      rights: sumOf(group.map((r) => r.rights)),
      counted: sumOf(group.map((r) => r.counted)),
      remaining: sumOf(group.map((r) => r.remaining)),
      bailleurs: group.length,
    };
  }
  const states = Object.fromEntries(
    CONSUMPTION_STATES.map((state) => [state, rows.filter((r) => r.state === state).length]),
  ) as Record<ConsumptionState, number>;
  return {
    rows: shown,
    total: rows.length,
    page: current,
    pageCount,
    states,
    groupTotals,
    reservataires: options((r) => r.reservataire),
    bailleurs: options((r) => r.bailleur),
    masked: scope.masked,
  };
}

/** The API's body of the consumption report, cached per filters, state of the data and Paris day (projection). */
export async function consumptionReportBody(
  actor: Actor,
  query: ConsumptionQuery,
  now = new Date(),
): Promise<Uint8Array<ArrayBuffer>> {
  const scope = reportScopeOf(actor, "ConsumptionReport");
  const key = `consumption:${JSON.stringify(query)}:${scope.key}:${parisDay(now)}`;
  return cachedReport(key, query.year, async () =>
    encodeJson(
      consumptionJson(
        await filterConsumption(await sharedConsumptionRows(scope, query.year, now), query, scope),
      ),
    ),
  );
}

/**
 * The rows of a scope's report as the page and the API read them: computed once per state of the year's data and
 * Paris day (the projection's), then shared, so their readers filter and sort copies, never these arrays.
 */
const sharedConsumptionRows = (scope: ReportScope, year: number, now: Date) =>
  cachedReport(`consumption-rows:${scope.key}:${parisDay(now)}`, year, () =>
    consumptionRows(scope, year, now),
  );

const STATE_ORDER = Object.fromEntries(CONSUMPTION_STATES.map((s, i) => [s, i]));
const numeric = (v: MaskedCount | number | null) => (typeof v === "number" ? v : v === null ? -Infinity : 0);

async function filterConsumption(
  rows: ConsumptionRow[],
  query: ConsumptionQuery,
  scope: ReportScope,
): Promise<ConsumptionRow[]> {
  const inCommune = query.commune
    ? new Set(
        (
          await db
            .selectDistinct({ r: attributions.reservataireId, b: attributions.bailleurId })
            .from(attributions)
            .where(
              and(
                eq(attributions.communeInsee, query.commune),
                eq(attributions.countsOnRights, true),
                sql`${attributions.leaseDate} >= ${`${query.year}-01-01`}`,
                sql`${attributions.leaseDate} < ${`${query.year + 1}-01-01`}`,
                scope.where({
                  reservataireId: attributions.reservataireId,
                  bailleurId: attributions.bailleurId,
                }),
              ),
            )
        ).map((p) => `${p.r}|${p.b}`),
      )
    : null;
  const kept = rows.filter(
    (r) =>
      (!query.reservataire || r.reservataire.slug === query.reservataire) &&
      (!query.bailleur || r.bailleur.slug === query.bailleur) &&
      (!inCommune || inCommune.has(`${r.reservataire.id}|${r.bailleur.id}`)) &&
      (!query.state || r.state === query.state) &&
      (query.empty || (r.rights ?? 0) > 0 || r.counted !== 0),
  );
  const sort = query.sort;
  if (!sort) return kept;
  const sign = query.dir === "desc" ? -1 : 1;
  const value = (r: ConsumptionRow): number | string =>
    sort === "bailleur" ? r.bailleur.name : sort === "state" ? (STATE_ORDER[r.state] ?? 0) : numeric(r[sort]);
  return kept.sort((x, y) => {
    const group = byName.compare(x.reservataire.name, y.reservataire.name);
    if (group !== 0) return group;
    const a = value(x);
    const b = value(y);
    const order = typeof a === "string" ? byName.compare(a, b as string) : a - (b as number);
    return order * sign || byName.compare(x.bailleur.name, y.bailleur.name);
  });
}

async function consumptionRows(scope: ReportScope, year: number, now: Date): Promise<ConsumptionRow[]> {
  const [counts, pairs, letters, published, annex] = await Promise.all([
    consumptionCounts(scope, year),
    contingentPairs(db, { year }),
    db
      .select({
        reservataireId: avenants.reservataireId,
        bailleurId: avenants.bailleurId,
        status: avenants.status,
        rights: avenants.rights,
        fluxH: avenants.fluxH,
        assietteVersion: avenants.assietteVersion,
      })
      .from(avenants)
      // A letter replaced after a rectificatif gives no rights: its successor does.
      .where(and(eq(avenants.year, year), ne(avenants.status, "replaced"))),
    // The rows of the latest published version of the assiette, as frozen (DESIGN §3).
    db
      .select({ forecast: assietteVersionRows })
      .from(assietteVersionRows)
      .where(
        and(
          eq(assietteVersionRows.year, year),
          eq(
            assietteVersionRows.version,
            sql`(select max(${assietteVersions.version}) from ${assietteVersions} where ${assietteVersions.year} = ${year})`,
          ),
        ),
      ),
    annexRows(db, year),
  ]);
  // Provisional rights are the annex's: one rounding per right (the MEL's line with the communes' shares under it).
  const annexRightOf = new Map(
    annex.map((r) => [
      r.bailleur.id,
      (kind: string) =>
        r.reservataires[kind as ReservataireKind]?.rounded === undefined || r.rights === null
          ? null
          : r.reservataires[kind as ReservataireKind].rounded! +
            (kind === "metropole" ? r.communes.reduce((sum, c) => sum + c.rounded!, 0) : 0),
    ]),
  );
  const fluxOf = new Map(published.map(({ forecast }) => [forecast.bailleurId, assietteH(forecast)]));
  const latestVersion = published[0]?.forecast.version ?? null;
  const key = (r: string, b: string) => `${r}|${b}`;
  const letterOf = new Map(letters.map((l) => [key(l.reservataireId, l.bailleurId), l]));
  const countOf = new Map(counts.map((c) => [key(c.reservataireId!, c.bailleurId), c]));

  const lines = new Map<
    string,
    { reservataire: Party & { kind: HolderKind }; bailleur: Party; rateBp: number }
  >();
  for (const p of pairs)
    if (scope.readsPair(p.reservataire.id, p.bailleur.id))
      lines.set(key(p.reservataire.id, p.bailleur.id), {
        reservataire: {
          id: p.reservataire.id,
          slug: p.reservataire.slug,
          name: p.reservataire.name,
          kind: p.reservataire.kind,
        },
        bailleur: { id: p.bailleur.id, slug: p.bailleur.slug, name: p.bailleur.name },
        rateBp: p.rateBp,
      });
  // Holders outside the convention cadre's pairs (a commune's own contingent): counted, without known rights.
  const missing = counts.filter((c) => !lines.has(key(c.reservataireId!, c.bailleurId)));
  if (missing.length > 0) {
    const ids = [...new Set(missing.flatMap((c) => [c.reservataireId!, c.bailleurId]))];
    const orgs = new Map(
      (
        await db
          .select({
            id: organisations.id,
            slug: organisations.slug,
            name: organisations.name,
            kind: organisations.kind,
          })
          .from(organisations)
          .where(inArray(organisations.id, ids))
      ).map((o) => [o.id, o]),
    );
    for (const c of missing) {
      const r = orgs.get(c.reservataireId!);
      const b = orgs.get(c.bailleurId);
      if (!r || !b) continue;
      lines.set(key(r.id, b.id), {
        reservataire: { id: r.id, slug: r.slug, name: r.name, kind: r.kind as HolderKind },
        bailleur: { id: b.id, slug: b.slug, name: b.name },
        rateBp: 0,
      });
    }
  }

  const provisional = (value: number | null) =>
    value === null ? null : { value, source: "provisional_assiette" as const };
  const progress = yearProgress(year, now);
  const rows = [...lines.entries()].map(([k, line]) => {
    const letter = letterOf.get(k);
    const source = letter ? AVENANT_RIGHTS[letter.status] : undefined;
    const h = fluxOf.get(line.bailleur.id) ?? null;
    const rights =
      letter && source
        ? { value: letter.rights, source }
        : h !== null && line.rateBp > 0
          ? provisional(annexRightOf.get(line.bailleur.id)?.(line.reservataire.kind) ?? null)
          : null;
    const fluxH = letter && source ? letter.fluxH : h;
    const c = countOf.get(k);
    const counts: ConsumptionCounts = {
      counted: c?.counted ?? 0,
      priority: c?.priority ?? 0,
      ciaTargets: c?.ciaTargets ?? 0,
      mbc: c?.mbc ?? 0,
      stateAgents: c?.stateAgents ?? 0,
    };
    const consumption = consumptionOf({ kind: line.reservataire.kind, rights, fluxH, counts }, progress);
    return {
      reservataire: line.reservataire,
      bailleur: line.bailleur,
      fluxH,
      assietteVersion: letter && source ? letter.assietteVersion : h !== null ? latestVersion : null,
      ...consumption,
    };
  });
  rows.sort(
    (x, y) =>
      byName.compare(x.reservataire.name, y.reservataire.name) ||
      byName.compare(x.bailleur.name, y.bailleur.name),
  );
  return rows.map((row) => (scope.masked ? maskConsumption(row) : row));
}

/** The JSON of the API: `[{ reservataire, bailleur, rights, counted, remaining, projected, priorityShare, … }]`. */
function consumptionJson(rows: ConsumptionRow[]) {
  return rows.map((r) => ({
    reservataire: r.reservataire,
    bailleur: r.bailleur,
    rights: r.rights,
    assietteVersion: r.assietteVersion,
    provisional: r.provisional,
    counted: r.counted,
    remaining: r.remaining,
    projected: r.projected,
    priorityShare: r.priorityShare,
    subTargets: r.subTargets,
    behind: r.behind,
    state: r.state,
    reasons: r.reasons,
  }));
}

// ── Indicators (004 art. 11, l. 402–423) ──────────────────────────────────────────────────────────────────────────

const i = indicatorRollups;
const sum = (column: AnyPgColumn) => sql<number>`coalesce(sum(${column}), 0)::int`;
/** The art. 11 figures of a group of attributions (all attributions, counted on rights or not). */
const indicatorColumns = {
  total: sum(i.total),
  t4plus: sum(i.t4plus),
  plai: sum(i.plai),
  pmr: sum(i.pmr),
  firstLetting: sum(i.firstLetting),
  refusals: sum(i.refusals),
};
const ciaTargets = sql<number>`coalesce(sum(${i.total}) filter (where ${i.ciaTarget}), 0)::int`;

function indicatorWhere(filters: IndicatorFilters, scope: ReportScope): SQL | undefined {
  return and(
    eq(i.year, filters.year),
    filters.bailleur ? eq(i.bailleurId, filters.bailleur) : undefined,
    filters.reservataire ? eq(i.reservataireId, filters.reservataire) : undefined,
    filters.commune ? eq(i.communeInsee, filters.commune) : undefined,
    filters.qpv === undefined ? undefined : eq(i.qpv, filters.qpv),
    scope.where(i),
  );
}

/** Per contingent × (CIA targets | others), as the actor may read them: the query the bench times bare. */
export const indicatorsByContingentQuery = (actor: Actor, filters: IndicatorFilters) =>
  indicatorsByContingent(filters, reportScopeOf(actor, "IndicatorReport"));

function indicatorsByContingent(filters: IndicatorFilters, scope: ReportScope) {
  return (
    db
      .select({ contingent: i.contingent, ciaTarget: i.ciaTarget, ...indicatorColumns })
      .from(i)
      .where(indicatorWhere(filters, scope))
      .groupBy(i.contingent, i.ciaTarget)
      // Groups whose attributions were all deleted or moved stay in the rollup at 0.
      .having(gt(sum(i.total), 0))
      .orderBy(asc(i.contingent), asc(i.ciaTarget))
  );
}

function indicatorsByCommuneQuery(filters: IndicatorFilters, scope: ReportScope) {
  return db
    .select({ communeInsee: i.communeInsee, ciaTargets, ...indicatorColumns })
    .from(i)
    .where(indicatorWhere(filters, scope))
    .groupBy(i.communeInsee)
    .having(gt(sum(i.total), 0))
    .orderBy(asc(i.communeInsee));
}

type Figures = {
  total: number;
  t4plus: number;
  plai: number;
  pmr: number;
  firstLetting: number;
  refusals: number;
};
type MaskedFigures = { [K in keyof Figures]: MaskedCount };
const FIGURE_KEYS = ["total", "t4plus", "plai", "pmr", "firstLetting", "refusals"] as const;

const maskFigures = <T extends Figures>(row: T, mask: boolean): Omit<T, keyof Figures> & MaskedFigures =>
  mask
    ? { ...row, ...Object.fromEntries(FIGURE_KEYS.map((k) => [k, maskSmallCount(row[k])])) }
    : (row as Omit<T, keyof Figures> & MaskedFigures);

/**
 * The art. 11 indicators for a year and filters, as the actor may see them. A commune sees its territory, every
 * count below 5 as "< 5", and the metropolitan averages (shares of the whole metropolis, and the average count per
 * commune with attributions) to compare with.
 */
export async function indicatorReport(actor: Actor, filters: IndicatorFilters) {
  return indicatorFigures(reportScopeOf(actor, "IndicatorReport"), filters);
}

/** The API's body of the indicators, cached per state of the data. */
export async function indicatorReportBody(
  actor: Actor,
  filters: IndicatorFilters,
): Promise<Uint8Array<ArrayBuffer>> {
  const scope = reportScopeOf(actor, "IndicatorReport");
  return cachedReport(`indicators:${JSON.stringify(filters)}:${scope.key}`, filters.year, async () =>
    encodeJson(await sharedIndicatorFigures(scope, filters)),
  );
}

/** The figures as the page and the API read them: computed once per state of the year's data, then shared. */
const sharedIndicatorFigures = (scope: ReportScope, filters: IndicatorFilters) =>
  cachedReport(`indicator-figures:${JSON.stringify(filters)}:${scope.key}`, filters.year, () =>
    indicatorFigures(scope, filters),
  );

async function indicatorFigures(scope: ReportScope, filters: IndicatorFilters) {
  const [byContingent, byCommune, assiette] = await Promise.all([
    indicatorsByContingent(filters, scope),
    indicatorsByCommuneQuery(filters, scope),
    versionInForce(filters.year),
  ]);
  const names = await communeNames(byCommune.map((r) => r.communeInsee));
  const mask = scope.masked;
  return {
    year: filters.year,
    filters,
    // The contingents counted are the pairs of this version's rights.
    assiette,
    byContingent: byContingent.map((r) => maskFigures(r, mask)),
    byCommune: byCommune.map((r) => ({
      ...maskFigures(r, mask),
      ciaTargets: mask ? maskSmallCount(r.ciaTargets) : r.ciaTargets,
      communeName: names.get(r.communeInsee) ?? r.communeInsee,
    })),
    metropolitan: scope.masked ? await metropolitanAverages(filters) : null,
  };
}

async function communeNames(codes: string[]) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ inseeCode: organisations.inseeCode, name: organisations.name })
    .from(organisations)
    .where(inArray(organisations.inseeCode, codes));
  return new Map(rows.map((r) => [r.inseeCode!, r.name]));
}

/** Metropolitan reference for a commune: shares over every attribution of the year, and the average per commune. */
async function metropolitanAverages(filters: IndicatorFilters) {
  const [row] = await db
    .select({
      communes: sql<number>`count(distinct ${i.communeInsee})::int`,
      ciaTargets,
      ...indicatorColumns,
    })
    .from(i)
    .where(and(eq(i.year, filters.year), filters.qpv === undefined ? undefined : eq(i.qpv, filters.qpv)));
  const r = row!;
  const share = (part: number) => (r.total > 0 ? part / r.total : null);
  return {
    averagePerCommune: r.communes > 0 ? Math.round((r.total / r.communes) * 10) / 10 : null,
    shares: {
      ciaTargets: share(r.ciaTargets),
      t4plus: share(r.t4plus),
      plai: share(r.plai),
      pmr: share(r.pmr),
      firstLetting: share(r.firstLetting),
    },
    refusalsPerAttribution: share(r.refusals),
  };
}

export type IndicatorReport = Awaited<ReturnType<typeof indicatorFigures>>;

/** The page: the indicators, the réservataires and bailleurs for the filters' lists, and whether counts are masked. */
export async function indicatorPage(actor: Actor, filters: IndicatorFilters) {
  const scope = reportScopeOf(actor, "IndicatorReport");
  const [report, parties] = await Promise.all([sharedIndicatorFigures(scope, filters), reportParties()]);
  return { report, parties, masked: scope.masked };
}

/** Réservataires and bailleurs (the directory every member reads). */
async function reportParties() {
  const rows = await db
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
    .from(organisations)
    .where(
      inArray(organisations.kind, [
        "bailleur",
        "metropole",
        "etat",
        "departement",
        "action_logement",
        "sicf",
      ]),
    )
    .orderBy(asc(organisations.name));
  return {
    bailleurs: rows.filter((r) => r.kind === "bailleur"),
    reservataires: rows.filter((r) => r.kind !== "bailleur"),
  };
}
