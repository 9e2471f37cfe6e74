import type postgres from "postgres";
import { scaled } from "./scale";
import type { Benchmark, BenchSuite } from "./suites";

/**
 * Signalements at national scale (issue 4): 1 000 000 households signalled by ~2 000 communes (the 95 of the MEL
 * and synthetic ones) to the 19 bailleurs of the seed and 130 synthetic ones, over five years. The spread is
 * skewed as in life: a few big communes and bailleurs carry most of the flow (Lille and Vilogia among them), old
 * signalements are mostly finished and recent ones mostly open.
 */
export const SIGNALEMENTS = scaled(1_000_000);
const SYNTHETIC_COMMUNES = scaled(1_900);
const SYNTHETIC_BAILLEURS = scaled(130);

/** The numéro unique of the synthetic signalement number `n` (059, year and month, sequence, key). */
export const benchNumeroUnique = (n: number) => `0592401${String(n).padStart(8, "0")}A`;

/** A signalement the bench searches for: addressed to Vilogia by construction (see `prepare`). */
const SEARCHED = Math.min(424_242, SIGNALEMENTS);

async function prepare(sql: postgres.Sql) {
  await sql`
    insert into organisations (kind, slug, name, insee_code)
    select 'commune', 'synthetic-commune-' || g, 'Commune synthétique ' || g, '9' || lpad(g::text, 4, '0')
    from generate_series(1, ${SYNTHETIC_COMMUNES}) g`;
  await sql`
    insert into organisations (kind, slug, name)
    select 'bailleur', 'synthetic-bailleur-' || g, 'Bailleur synthétique ' || g
    from generate_series(1, ${SYNTHETIC_BAILLEURS}) g`;
  // Communes and bailleurs in the order of their weight: the demo ones first (Lille, Roubaix, Tourcoing; Vilogia).
  await sql`
    create temporary table bench_communes as
    select row_number() over (order by (slug in ('commune-59350', 'commune-59512', 'commune-59599')) desc,
                                       (slug like 'commune-%') desc, random()) - 1 as rank, id
    from organisations where kind = 'commune'`;
  await sql`
    create temporary table bench_bailleurs as
    select row_number() over (order by (slug = 'vilogia') desc, (slug like 'synthetic-%'), random()) - 1 as rank, id
    from organisations where kind = 'bailleur'`;
  const [{ communes, bailleurs }] = await sql<[{ communes: number; bailleurs: number }]>`
    select (select count(*)::int from bench_communes) as communes,
           (select count(*)::int from bench_bailleurs) as bailleurs`;
  const [{ mel }] = await sql<[{ mel: string }]>`select id as mel from organisations where slug = 'mel'`;

  // One row per signalement: its weighted commune and first bailleur (random()^3 skews towards the first ranks),
  // its age (0 to 5 years) and a status that depends on it.
  await sql`
    create temporary table bench_signalements as
    select g as n,
           gen_random_uuid() as id,
           floor(${communes} * power(random(), 3))::int as commune_rank,
           case when g = ${SEARCHED} then 0 else floor(${bailleurs} * power(random(), 2))::int end as bailleur_rank,
           (random() * 3)::int as extra_bailleurs,
           now() - make_interval(secs => power(random(), 1.5) * 5 * 365 * 86400) as created_at,
           random() as fate
    from generate_series(1, ${SIGNALEMENTS}) g`;
  await sql`
    insert into signalements (id, commune_id, numero_unique, adults, children, typology, communes_wanted,
      public_category, income_quartile, urgency, reason, status, created_at, updated_at, acknowledged_at,
      closed_at, created_by)
    select s.id, c.id, '0592401' || lpad(s.n::text, 8, '0') || 'A', 1 + s.n % 3, s.n % 4,
      (array['T1','T2','T3','T4','T5','T6'])[1 + s.n % 6], array['59350'],
      (array['dalo_labellise','pdalhpd_labellise','mbc_labellise','npru','cible_cia_declaree','autre'])[1 + s.n % 6],
      nullif(s.n % 5, 0), (array['normal','normal','urgent','very_urgent'])[1 + s.n % 4],
      'Signalement synthétique du banc d''essai.', st.status, s.created_at, s.created_at,
      case when st.status <> 'sent' then s.created_at + interval '6 days' end,
      case when st.status in ('lease_signed', 'not_retained', 'closed') then s.created_at + interval '120 days' end,
      null
    from bench_signalements s
    join bench_communes c on c.rank = s.commune_rank
    cross join lateral (select case
      when s.created_at > now() - interval '20 days' and s.fate < 0.5 then 'sent'
      when s.created_at > now() - interval '1 year' then
        (array['acknowledged','searching','searching','presented_caleol','caleol_decision','refused_by_household',
               'lease_signed','not_retained','closed'])[1 + floor(s.fate * 9)::int]
      else (array['lease_signed','lease_signed','not_retained','closed','closed'])[1 + floor(s.fate * 5)::int]
      end as status) st`;
  // The first bailleur, then up to two others (distinct: offsets 1 and 2 from the first, modulo the count).
  await sql`
    insert into signalement_bailleurs (signalement_id, bailleur_id, acknowledged_at, status, created_at)
    select s.id, b.id, sig.acknowledged_at, sig.status, s.created_at
    from bench_signalements s
    join signalements sig on sig.id = s.id
    cross join lateral generate_series(0, s.extra_bailleurs) k
    join bench_bailleurs b on b.rank = (s.bailleur_rank + k) % ${bailleurs}`;
  await sql`insert into signalement_events (signalement_id, type, details, at, by_organisation_id)
    select id, 'sent', '{}', created_at, ${mel} from bench_signalements where n % 10 = 0`;
  await sql`drop table bench_signalements, bench_communes, bench_bailleurs`;
  // Statistics and the visibility map, as autovacuum leaves them after such inserts: without it, counting a status
  // by index-only scan looks dearer to the planner than scanning the table.
  await sql.unsafe("vacuum analyze signalements, signalement_bailleurs");
}

const bailleur = "gestionnaire@vilogia.demo.test";
const mel = "admin@mel.demo.test";
const searched = benchNumeroUnique(SEARCHED);

/**
 * The load a list is measured at. At this scale (1 000 000 signalements in five years from ~2 000 communes to ~150
 * bailleurs) a few thousand people use the lists; at 30 lists each per working day, that is ~5 lists a second
 * across the country on average and ~15 at the busiest hour. Each list is measured alone at 20 a second, above that
 * peak. Twenty connections sending without pause would instead measure the queue they make on two cores shared
 * with PostgreSQL and the load generator, not the time a list takes.
 */
const LIST_RATE = 20;

/** A list of signalements read by `as`, with the target: p95 ≤ 50 ms of server time. */
const list = (name: string, as: string, path: string): Benchmark => ({
  name,
  path,
  as,
  p95TargetMs: 50,
  targetOn: "server",
  rate: LIST_RATE,
});

export const signalementsSuite: BenchSuite = {
  name: "Signalements",
  prepare,
  benchmarks: [
    list("API — signalements d'un bailleur", bailleur, "/api/v1/signalements"),
    list(
      "API — signalements d'un bailleur, par statut",
      bailleur,
      "/api/v1/signalements?status=presented_caleol",
    ),
    list(
      "API — signalements d'un bailleur, par numéro unique",
      bailleur,
      `/api/v1/signalements?numeroUnique=${searched}`,
    ),
    list("API — signalements de la MEL", mel, "/api/v1/signalements"),
    list("API — signalements de la MEL, par statut", mel, "/api/v1/signalements?status=caleol_decision"),
    list(
      "API — signalements de la MEL, par numéro unique",
      mel,
      `/api/v1/signalements?numeroUnique=${searched}`,
    ),
    list("Page — signalements d'un bailleur", bailleur, "/signalements"),
    list("Page — signalements d'un bailleur, par statut", bailleur, "/signalements?status=searching"),
    list("Page — signalements de la MEL", mel, "/signalements"),
    list(
      "Page — signalements de la MEL, par statut et numéro unique",
      mel,
      `/signalements?status=sent&numeroUnique=${searched}`,
    ),
  ],
  timings: [
    {
      // Computed on demand over every signalement (its own page, never on the list): measured, no target.
      name: "Page — tableau de la MEL par commune et par bailleur (une requête)",
      run: async ({ baseUrl, logIn }) => {
        const response = await fetch(`${baseUrl}/signalements/tableau`, {
          headers: { cookie: (await logIn(mel)).cookie },
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`/signalements/tableau répond ${response.status}.`);
      },
    },
  ],
};
