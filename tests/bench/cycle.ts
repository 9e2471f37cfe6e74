import type postgres from "postgres";
import { generateToken, hashToken } from "../../app/lib/tokens.server";
import { ANNEX1_BAILLEUR_ORDER } from "../../seed/organisations";
import type { BenchContext, BenchSuite } from "./suites";

/**
 * The yearly cycle at national scale (issue 3):
 * - the letters of 5 réservataires × 20 bailleurs generated and sent over the API by each réservataire's signataire
 *   (the MEL, the État, Action Logement and two synthetic réservataires of ALS's kind; 19 demo bailleurs of Annex 1
 *   plus one synthetic one; no MEL contingent on Partenord Habitat, so 99 letters);
 * - one pass of the jobs (`runJobs`, as the server runs it) over 100 000 sent letters past their deadline: 100 synthetic réservataires ×
 *   100 synthetic bailleurs × 10 years, each organisation with a signataire (two mails and one audit row per letter).
 * Synthetic deadlines are in 2040–2049 so that the server's own minute job (real clock) never touches them.
 */
const LETTERS_YEAR = 2035;
const JOB_YEARS = { from: 2040, to: 2049 };
const SYNTHETIC = 100;
/** The 19 bailleurs of Annex 1 and one synthetic one (other suites' synthetic bailleurs get no letter). */
const LETTER_BAILLEURS = [...ANNEX1_BAILLEUR_ORDER, "bench-bailleur-1"];
/** After every synthetic deadline. */
const JOB_NOW = "2050-01-01T00:00:00Z";
/** Before the first synthetic letter's reminders (15 days before 16 March 2040). */
const BEFORE_JOB_YEARS = "2040-01-01T00:00:00Z";
const DEMO_SIGNATAIRE = "signataire@mel.demo.test";
const RESERVATAIRE_SLUGS = ["mel", "etat", "action-logement", "bench-reservataire-1", "bench-reservataire-2"];

async function prepare(sql: postgres.Sql) {
  // Synthetic organisations: réservataires of ALS's kind (negotiated rate per bailleur) and bailleurs.
  await sql`
    insert into organisations (kind, name, slug)
    select 'action_logement'::organisation_kind, 'Réservataire synthétique ' || n, 'bench-reservataire-' || n
    from generate_series(1, ${SYNTHETIC}) n
    union all
    select 'bailleur'::organisation_kind, 'Bailleur synthétique ' || n, 'bench-bailleur-' || n
    from generate_series(1, ${SYNTHETIC}) n`;
  // One signataire each, with the demo password (its hash copied from a demo user).
  await sql`
    insert into users (email, name, password_hash)
    select 'signataire@' || o.slug || '.bench.test', 'Signataire ' || o.name,
      (select password_hash from users where email = ${DEMO_SIGNATAIRE})
    from organisations o where o.slug like 'bench-%'`;
  await sql`
    insert into memberships (user_id, organisation_id, roles)
    select u.id, o.id, array['signataire']
    from organisations o join users u on u.email = 'signataire@' || o.slug || '.bench.test'`;

  // Letters: forecasts of the year for the 19 bailleurs of Annex 1 and the first synthetic one, published.
  await sql`
    insert into forecasts (bailleur_id, year, a, b, c, d, e, f, g, status, submitted_at, validated_at)
    select o.id, ${LETTERS_YEAR}, 600 + (row_number() over (order by o.slug))::int * 40, 0, 30, 10, 0, 0, 0,
      'validated', now(), now()
    from organisations o
    where o.slug = any(${LETTER_BAILLEURS})`;
  // Signed rates of the year (what signed bilateral conventions give); the État publishes once the server is up.
  await sql`
    insert into negotiated_rates (reservataire_id, bailleur_id, year, rate_bp)
    select r.id, b.id, ${LETTERS_YEAR}, 1200
    from organisations r cross join organisations b
    where r.slug in ('action-logement', 'bench-reservataire-1', 'bench-reservataire-2')
      and b.slug = any(${LETTER_BAILLEURS})`;

  // Job pass: 100 000 letters sent two months and a day before their deadline, all due at JOB_NOW.
  await sql`
    insert into avenants (reservataire_id, bailleur_id, year, rate_bp, flux_h, rights, status, sent_at,
      deadline_ends_at, deadline_last_day)
    select r.id, b.id, y, 1200, 500, 60, 'sent', make_date(y, 1, 15)::timestamptz,
      make_date(y, 3, 16)::timestamptz - interval '1 hour', to_char(make_date(y, 3, 15), 'YYYY-MM-DD')
    from organisations r
    join organisations b on b.slug like 'bench-bailleur-%'
    cross join generate_series(${JOB_YEARS.from}::int, ${JOB_YEARS.to}::int) y
    where r.slug like 'bench-reservataire-%'`;
}

type Token = { slug: string; token: string };
let tokens: Token[] = [];

/** A personal access token for each réservataire's signataire (what a réservataire's own system would use). */
async function createTokens(context: BenchContext) {
  tokens = [];
  for (const slug of RESERVATAIRE_SLUGS) {
    const email = slug.startsWith("bench-")
      ? `signataire@${slug}.bench.test`
      : `signataire@${slug}.demo.test`;
    const token = generateToken("flux_");
    const [row] = await context.sql`
      insert into api_tokens (user_id, organisation_id, name, token_hash, prefix, scope, expires_at)
      select u.id, o.id, 'Banc d''essai', ${hashToken(token)}, ${token.slice(0, 10)}, 'write',
        now() + interval '1 day'
      from users u join organisations o on o.slug = ${slug}
      where u.email = ${email}
      returning id`;
    if (!row) throw new Error(`Pas de signataire ${email} pour ${slug}.`);
    tokens.push({ slug, token });
  }
  // The État publishes the year (version 1 freezes the forecasts and the signed rates), as in real use.
  const [published] = await context.sql`select 1 from assiette_versions where year = ${LETTERS_YEAR}`;
  const etat = tokens.find((t) => t.slug === "etat")!;
  if (!published)
    await call(context, etat.token, `/assiettes/${LETTERS_YEAR}/publish`, { confirmIncomplete: true });
}

async function call(context: BenchContext, token: string, path: string, body?: unknown) {
  const response = await fetch(`${context.baseUrl}/api/v1${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`POST ${path} : HTTP ${response.status} ${String(json.message)}`);
  return json;
}

/** Each réservataire at once: generate its year's drafts, then send them one by one (as its signataire would). */
async function generateAndSend(context: BenchContext) {
  const counts = await Promise.all(
    tokens.map(async ({ token }) => {
      const generated = await call(context, token, "/avenants/generate", { year: LETTERS_YEAR });
      const drafts = (generated.avenants as Array<{ id: string; status: string }>).filter(
        (a) => a.status === "draft",
      );
      for (const draft of drafts) await call(context, token, `/avenants/${draft.id}/send`);
      return drafts.length;
    }),
  );
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== 99) throw new Error(`${total} courriers envoyés, 99 attendus (${counts.join(", ")}).`);
  console.log(`${total} courriers préparés et envoyés (${counts.join(" + ")}).`);
}

/** One pass of every job, in this process, as the server's primary process runs it each minute. */
async function runJobsAt(now: string) {
  const { runJobs } = await import("~/jobs/run.server");
  return runJobs(new Date(now));
}

/**
 * Before the clock starts, a pass just before the synthetic deadlines: it clears the other jobs' backlog (the old
 * closed signalements of the signalements suite to anonymise…), so the measured pass is the avenants' own work.
 */
async function catchUpOtherJobs({ sql }: BenchContext) {
  await runJobsAt(BEFORE_JOB_YEARS);
  // Then what autovacuum does after such a backlog (hundreds of thousands of rows anonymised), long before the next
  // day's pass would run.
  await sql`vacuum analyze`;
}

async function jobPass() {
  const result = await runJobsAt(JOB_NOW);
  const accepted = (result.avenants as { tacitlyAccepted: number }).tacitlyAccepted;
  if (accepted < SYNTHETIC * SYNTHETIC * (JOB_YEARS.to - JOB_YEARS.from + 1))
    throw new Error(`Passe incomplète : ${accepted} courriers acceptés.`);
  console.log(`${accepted} courriers réputés acceptés.`);
}

export const cycleSuite: BenchSuite = {
  name: "Cycle annuel (courriers valant avenant)",
  prepare,
  timings: [
    {
      name: "Courriers de 5 réservataires × 20 bailleurs : préparés et envoyés par l'API",
      targetMs: 2000,
      setUp: createTokens,
      run: generateAndSend,
    },
    {
      name: "Passe des tâches sur 100 000 courriers échus (acceptation tacite)",
      targetMs: 10_000,
      setUp: catchUpOtherJobs,
      run: jobPass,
    },
  ],
};
