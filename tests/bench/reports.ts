import type postgres from "postgres";
import { scaled } from "./scale";
import type { BenchContext, BenchSuite } from "./suites";

/**
 * Reports (issue 5) on 2 000 000 attributions (national scale), spread over 2022–2026 (about 400 000 a year), over
 * the seeded bailleurs plus synthetic ones and the MEL's communes, with the contingents' realistic shares (État
 * 28,7 %, MEL 20 %, ALS ~16 %, SICF, communes, none ~32 %) and publics (DALO, PDALHPD, MBC, NPRU, CIA, others).
 * HTTP: the consumption report and the indicators for one réservataire (Action Logement) and for the MEL (every
 * bailleur). Timings: the report's bare SQL (the GROUP BY query through the same driver) against the HTTP answer,
 * printed as a ratio app ÷ SQL.
 */
const ROWS = Number(process.env.BENCH_ATTRIBUTIONS ?? scaled(2_000_000));
const BATCH = 500_000;
const SYNTHETIC_BAILLEURS = 31;
const YEAR = 2026;

async function prepare(sql: postgres.Sql) {
  await sql`
    insert into organisations (kind, slug, name)
    select 'bailleur', 'bailleur-synthetique-' || n, 'Bailleur synthétique ' || n
    from generate_series(1, ${SYNTHETIC_BAILLEURS}) n
    on conflict do nothing`;
  for (let from = 1; from <= ROWS; from += BATCH) {
    const to = Math.min(ROWS, from + BATCH - 1);
    // Pseudo-independent dimensions from g × distinct primes; `k` picks the contingent, `p` the public.
    await sql`
      with b as (select array_agg(id order by slug) ids from organisations where kind = 'bailleur'),
      c as (
        select array_agg(id order by insee_code) ids, array_agg(insee_code order by insee_code) codes
        from organisations where kind = 'commune'
      ),
      r as (
        select
          (select id from organisations where slug = 'etat') etat,
          (select id from organisations where slug = 'mel') mel,
          (select id from organisations where slug = 'action-logement') als,
          (select id from organisations where slug = 'sicf') sicf
      ),
      x as (
        select g, (g * 7919) % 100 k, (g * 104729) % 100 p, (g * 31) % 20 t, 1 + (g * 53) % (select cardinality(ids) from b) bi
        from generate_series(${from}::bigint, ${to}::bigint) g
      ),
      -- A bailleur's flats lie in 15 communes (its patrimony), not in every commune of the territory.
      xc as (select x.*, 1 + (x.bi * 7 + (x.g * 59) % 15) % (select cardinality(ids) from c) ci from x),
      y as (
        select xc.*,
          case when k < 28 then 'etat' when k = 28 then 'etat_agents' when k < 49 then 'mel'
               when k < 64 then 'action_logement' when k = 64 then 'action_logement_retrocession'
               when k = 65 then 'sicf' when k < 68 then 'commune' else 'none' end contingent,
          case when p < 15 then 'dalo_labellise' when p < 25 then 'pdalhpd_labellise' when p < 30 then 'mbc_labellise'
               when p < 34 then 'npru' when p < 50 then 'cible_cia_declaree' else 'autre' end public_category,
          case when t < 2 then 'internal' when t < 4 then 'inter_bailleur' else 'none' end transfer
        from xc
      )
      insert into attributions (
        bailleur_id, numero_unique, lease_date, commune_insee, qpv, typology, financing, pmr, first_letting,
        construction_period, public_category, transfer, income_quartile, refusals_after_caleol, contingent,
        reservataire_id, counts_on_rights)
      select
        b.ids[y.bi], '059' || lpad(y.g::text, 10, '0') || 'B', date '2022-01-01' + (y.g % 1826)::int, c.codes[y.ci],
        (y.g * 37) % 4 = 0, 'T' || (1 + (y.g * 13) % 6),
        (array['plai', 'plus', 'pls', 'pli', 'autre'])[1 + (y.g * 17) % 5], (y.g * 19) % 20 = 0, (y.g * 23) % 12 = 0,
        (array['avant_1949', '1949_1974', '1975_1989', '1990_2004', '2005_2014', 'depuis_2015'])[1 + (y.g * 29) % 6],
        y.public_category, y.transfer, 1 + (y.g * 41) % 4, case when (y.g * 43) % 10 = 0 then 1 else 0 end,
        y.contingent,
        case y.contingent when 'etat' then r.etat when 'etat_agents' then r.etat when 'mel' then r.mel
             when 'action_logement' then r.als when 'action_logement_retrocession' then r.als
             when 'sicf' then r.sicf when 'commune' then c.ids[y.ci] end,
        y.contingent <> 'none' and y.public_category <> 'npru' and y.transfer <> 'internal'
      from y, b, c, r`;
    console.log(`  ${to.toLocaleString("fr-FR")} attributions…`);
  }
  // Statistics and the visibility map, as autovacuum would leave them in production.
  await sql.unsafe("vacuum analyze attributions");
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeIt(runs: number, operation: () => Promise<unknown>, before?: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const started = performance.now();
    await operation();
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * Bare SQL (the model's query, through drizzle and postgres.js) against the HTTP report, medians of 15 runs. Before
 * each HTTP run, a change row moves the reports' data version (as any attribution written would): the API then
 * computes the report again instead of answering from its cache, so the ratio compares work with work.
 */
function ratio(name: string, as: string, path: string, which: "consumption" | "indicators") {
  return {
    name: `${name} — SQL nu et HTTP sans cache (médianes de 15)`,
    run: async (context: BenchContext) => {
      const reports = await import("~/models/reports.server");
      const { actorOfMembership } = await import("~/lib/actor.server");
      // The model's own scope for this user, as the HTTP report applies it.
      const [member] = await context.sql<Array<{ userId: string; organisationId: string }>>`
        select m.user_id as "userId", m.organisation_id as "organisationId"
        from memberships m join users u on u.id = m.user_id where u.email = ${as}`;
      const actor = (await actorOfMembership(member!.userId, member!.organisationId))!;
      const bare = await timeIt(15, () =>
        which === "consumption"
          ? reports.consumptionCountsQuery(actor, YEAR)
          : reports.indicatorsByContingentQuery(actor, { year: YEAR, qpv: undefined }),
      );
      const session = await context.logIn(as);
      const http = await timeIt(
        15,
        async () => {
          const response = await fetch(`${context.baseUrl}${path}`, { headers: { cookie: session.cookie } });
          if (response.status !== 200) throw new Error(`${path} : HTTP ${response.status}`);
          await response.arrayBuffer();
        },
        () => context.sql`insert into report_changes (weight) values (1)`,
      );
      console.log(
        `SQL nu ${bare.toFixed(1)} ms ; HTTP sans cache ${http.toFixed(1)} ms ; rapport app ÷ SQL = ${(http / bare).toFixed(2)}`,
      );
    },
  };
}

const ALS = "admin@action-logement.demo.test";
const MEL = "admin@mel.demo.test";
const consumption = `/api/v1/reports/consumption?year=${YEAR}`;
const indicators = `/api/v1/reports/indicators?year=${YEAR}`;

export const reportsSuite: BenchSuite = {
  name: "Rapports (consommation des droits, indicateurs)",
  prepare,
  benchmarks: [
    { name: "Consommation — un réservataire (ALS)", path: consumption, as: ALS, p95TargetMs: 100 },
    { name: "Consommation — MEL (tous les bailleurs)", path: consumption, as: MEL, p95TargetMs: 100 },
    { name: "Indicateurs — un réservataire (ALS)", path: indicators, as: ALS, p95TargetMs: 100 },
    { name: "Indicateurs — MEL (tous les bailleurs)", path: indicators, as: MEL, p95TargetMs: 100 },
  ],
  timings: [
    ratio("Consommation ALS", ALS, consumption, "consumption"),
    ratio("Consommation MEL", MEL, consumption, "consumption"),
    ratio("Indicateurs ALS", ALS, indicators, "indicators"),
    ratio("Indicateurs MEL", MEL, indicators, "indicators"),
  ],
};
