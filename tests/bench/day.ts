import type postgres from "postgres";
import type { OrganisationKind } from "#db/schema";
import { ANNEX1_BAILLEUR_ORDER } from "../../seed/organisations";
import type { MixRequest, Operation } from "./mix";
import { CURRENT_YEAR_REPORT_READS, REPORT_READS } from "./mix";
import { programmesSuite } from "./programmes";
import { reportsSuite } from "./reports";
import { signalementsSuite } from "./signalements";
import type { BenchContext, BenchSuite, Session } from "./suites";

/**
 * A real day (issue 17): 300 distinct users of every kind of organisation, each logged in through the form with
 * their own session, at 100 requests/s overall, on the national data set of the signalements, reports and
 * programmes suites, with the server's scheduled jobs running and its mail delivered to a local SMTP server.
 *
 * Users: 90 communes (one each, the MEL's), 114 at the 19 bailleurs of Annex 1 (4 gestionnaires, a signataire, a
 * lecteur each), 24 at the MEL, 20 at the État, 16 at Action Logement, 16 at the URH, 12 at the Département, 8 at the
 * SICF. Each operation below is made by its kinds' users in turn.
 *
 * Mix (requests/s): pages 60, API reads 25, writes 15 — the writes fix the duration (2 000 of them: 134 s).
 */
const DAY_EMAIL = /^day-\d+@/;
const PARTNER_USERS: Array<[slug: string, count: number]> = [
  ["mel", 24],
  ["etat", 20],
  ["action-logement", 16],
  ["urh", 16],
  ["departement-nord", 12],
  ["sicf", 8],
];
const BAILLEUR_ROLES = [
  "gestionnaire",
  "gestionnaire",
  "gestionnaire",
  "gestionnaire",
  "signataire",
  "lecteur",
];
const COMMUNE_USERS = 90;
/** Years of the letters the bailleurs answer during the day (no other suite uses them). */
const LETTER_YEARS = { from: 2030, to: 2032 };
const CRIB_CASES = 60;

async function prepare(sql: postgres.Sql) {
  const communes = await sql<Array<{ slug: string }>>`
    select slug from organisations where slug like 'commune-%' order by slug limit ${COMMUNE_USERS}`;
  const users: Array<{ slug: string; role: string }> = [
    ...communes.map(({ slug }) => ({ slug, role: "gestionnaire" })),
    ...ANNEX1_BAILLEUR_ORDER.flatMap((slug) => BAILLEUR_ROLES.map((role) => ({ slug, role }))),
    ...PARTNER_USERS.flatMap(([slug, count]) =>
      Array.from({ length: count }, () => ({ slug, role: "gestionnaire" })),
    ),
  ];
  const emails = users.map((u, i) => `day-${i}@${u.slug}.bench.test`);
  // The demo password's hash, copied from a demo user: each user logs in through the form like a person.
  await sql`
    insert into users (email, name, password_hash)
    select email, 'Utilisateur de la journée ' || email,
      (select password_hash from users where email = 'admin@mel.demo.test')
    from unnest(${emails}::text[]) email`;
  await sql`
    insert into memberships (user_id, organisation_id, roles)
    select u.id, o.id, array[x.role]
    from unnest(${emails}::text[], ${users.map((u) => u.slug)}::text[], ${users.map((u) => u.role)}::text[])
      x(email, slug, role)
    join users u on u.email = x.email join organisations o on o.slug = x.slug`;
  // Letters sent to every Annex 1 bailleur by five réservataires, answerable for two more months.
  await sql`
    insert into avenants (reservataire_id, bailleur_id, year, rate_bp, flux_h, rights, status, sent_at,
      deadline_ends_at, deadline_last_day)
    select r.id, b.id, y, 1200, 500, 60, 'sent', now(), now() + interval '60 days',
      to_char(now() + interval '59 days', 'YYYY-MM-DD')
    from organisations r cross join organisations b
    cross join generate_series(${LETTER_YEARS.from}::int, ${LETTER_YEARS.to}::int) y
    where r.slug in ('mel', 'etat', 'departement-nord', 'action-logement', 'sicf')
      and b.slug = any(${ANNEX1_BAILLEUR_ORDER as string[]})`;
  // A published CRIB list whose open cases every bailleur answers.
  await sql`
    with s as (insert into crib_sessions (held_on, published_at) values ('2026-11-02', now()) returning id)
    insert into crib_cases (session_id, numero_unique, origin_bailleur_id, typology, communes_wanted)
    select s.id, '0592610' || lpad(g::text, 8, '0') || 'C',
      (select id from organisations where slug = (${ANNEX1_BAILLEUR_ORDER as string[]}::text[])[1 + g % 19]),
      'T3', array['59350']
    from s, generate_series(1, ${CRIB_CASES}) g`;
  // A day follows the nightly jobs: the backlog of the synthetic data (years of closed signalements to anonymise)
  // is cleared before the server's own passes start, as in cycle.ts, and the mail the other suites queued (the
  // cycle's 200 000 letters' mails: the mail sender's own measure) is taken as sent, so the day sends its own.
  const { runJobs } = await import("~/jobs/run.server");
  await runJobs();
  await sql`update email_outbox set sent_at = now() where sent_at is null`;
  await sql.unsafe("vacuum analyze");
}

type DayUser = { session: Session; slug: string; kind: OrganisationKind; role: string; insee: string | null };

/** The users of these kinds (and roles), taken in turn. */
function rotation(users: DayUser[], kinds: OrganisationKind[] | "any", roles?: string[]) {
  const pool = users.filter(
    (u) => (kinds === "any" || kinds.includes(u.kind)) && (!roles || roles.includes(u.role)),
  );
  let i = 0;
  return () => pool[i++ % pool.length]!;
}

/** One attribution recorded over the API by a bailleur's user (numéro unique `n` of the 0592611…E series). */
export function attributionWrite(session: Session, bailleurSlug: string, n: number): MixRequest {
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  return {
    method: "POST",
    path: "/api/v1/attributions",
    session,
    json: {
      attributions: [
        {
          numeroUnique: `0592611${String(n).padStart(8, "0")}E`,
          leaseDate: yesterday,
          bailleurSlug,
          communeInsee: "59350",
          qpv: n % 4 === 0,
          typology: `T${1 + (n % 6)}`,
          financing: "plus",
          pmr: false,
          firstLetting: false,
          constructionPeriod: "1975_1989",
          publicCategory: "autre",
          transfer: "none",
          incomeQuartile: 1 + (n % 4),
          refusalsAfterCaleol: 0,
          contingent: "none",
        },
      ],
    },
  };
}

/** Each user logged in through the form, a few at a time (each login hashes a password on the server). */
async function logInAll(context: BenchContext) {
  const rows = await context.sql<
    Array<{ email: string; slug: string; kind: OrganisationKind; role: string; insee: string | null }>
  >`
    select u.email, o.slug, o.kind, m.roles[1] as role, o.insee_code as insee
    from users u join memberships m on m.user_id = u.id join organisations o on o.id = m.organisation_id
    where u.email like 'day-%@%.bench.test' order by u.email`;
  const users: DayUser[] = [];
  for (let i = 0; i < rows.length; i += 6)
    users.push(
      ...(await Promise.all(
        rows.slice(i, i + 6).map(async (row) => ({ ...row, session: await context.logIn(row.email) })),
      )),
    );
  if (users.length !== 300 || !users.every((u) => DAY_EMAIL.test(u.session.email)))
    throw new Error(`${users.length} utilisateurs de la journée connectés, 300 attendus.`);
  return users;
}

type Step = { id: string; status: string; bailleur: string };
/** A bailleur's next step on a signalement in this status, with the details the step requires. */
function nextStep(status: string, today: string): Record<string, string> | undefined {
  return {
    sent: { type: "acknowledged" },
    acknowledged: { type: "searching" },
    searching: { type: "presented_caleol", caleolDate: today, flatCommune: "59350", flatTypology: "T3" },
    presented_caleol: { type: "caleol_decision", decision: "attribution" },
    caleol_decision: { type: "lease_signed", signedOn: today },
  }[status];
}

/**
 * What a bailleur records of the flat with the signed lease (the signalement's attribution). The synthetic data start
 * some signalements at the CALEOL decision, without the presentation that named the flat: the bailleur gives it here.
 */
const LEASE_ATTRIBUTION = {
  communeInsee: "59350",
  qpv: false,
  typology: "T3",
  financing: "plus",
  pmr: false,
  firstLetting: false,
  constructionPeriod: "1975_1989",
  // « internal » suits every public, MBC included (a transfer, 004 l. 333); recorded without a contingent.
  transfer: "internal",
  refusalsAfterCaleol: 0,
  contingent: "none",
};

function stepRequest(status: string, today: string): Record<string, unknown> | undefined {
  const step = nextStep(status, today);
  return step?.type === "lease_signed" ? { ...step, attribution: LEASE_ATTRIBUTION } : step;
}

async function setUp(context: BenchContext): Promise<Operation[]> {
  const users = await logInAll(context);
  const today = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const bailleurUser = (slug: string, roles: string[]) =>
    users.find((u) => u.slug === slug && roles.includes(u.role))!;
  // Open signalements of the Annex 1 bailleurs (each under one of them), advanced one step at a time.
  const steps = await context.sql<Step[]>`
    select distinct on (s.id) s.id, s.status, o.slug as bailleur
    from organisations o
    cross join lateral (
      select sb.signalement_id from signalement_bailleurs sb
      where sb.bailleur_id = o.id and sb.status in ('sent', 'acknowledged', 'searching', 'presented_caleol', 'caleol_decision')
      limit 200) sb
    join signalements s on s.id = sb.signalement_id
    where o.slug = any(${ANNEX1_BAILLEUR_ORDER as string[]})`;
  const letters = await context.sql<Array<{ id: string; bailleur: string }>>`
    select a.id, b.slug as bailleur from avenants a join organisations b on b.id = a.bailleur_id
    where a.status = 'sent' and a.year between ${LETTER_YEARS.from} and ${LETTER_YEARS.to} order by a.year, b.slug`;
  const cases = await context.sql<Array<{ id: string }>>`
    select c.id from crib_cases c join crib_sessions s on s.id = c.session_id
    where s.held_on = '2026-11-02' and c.status = 'open'`;
  let serial = 0;

  const everyone = "any" as const;
  const reservataires: OrganisationKind[] = ["metropole", "etat", "departement", "action_logement", "sicf"];
  const signalementParties: OrganisationKind[] = ["commune", "bailleur", "metropole"];
  const read = (
    name: string,
    kind: "pages" | "lectures API",
    rate: number,
    kinds: OrganisationKind[] | "any",
    path: (i: number) => string,
  ): Operation => {
    const who = rotation(users, kinds);
    let i = 0;
    return { name, kind, rate, next: () => ({ path: path(i++), session: who().session }) };
  };
  /**
   * A report read over the last five years, each as often: the current year's (a fifth), whose data the writes
   * change, apart from the four before it, which the cache keeps (decision 0006).
   */
  const currentYear = Number(today.slice(0, 4));
  const reportReads = (
    name: string,
    kind: "pages" | "lectures API",
    rate: number,
    path: (year: number) => string,
  ): Operation[] => [
    {
      ...read(`${name}, année en cours`, kind, rate / 5, "any", () => path(currentYear)),
      report: "current year",
    },
    {
      ...read(`${name}, années passées`, kind, (rate * 4) / 5, "any", (i) => path(currentYear - 1 - (i % 4))),
      report: "past years",
    },
  ];

  const communeUser = rotation(users, ["commune"]);
  const attributionUser = rotation(users, ["bailleur"], ["gestionnaire", "signataire"]);
  const cribUser = rotation(users, ["bailleur"], ["gestionnaire"]);
  let cribIndex = 0;
  let letterIndex = 0;
  const writes: Operation[] = [
    {
      name: "Écriture — signalement d'une commune",
      kind: "écritures",
      rate: 3,
      next: () => {
        const user = communeUser();
        const n = serial++;
        return {
          method: "POST",
          path: "/api/v1/signalements",
          session: user.session,
          json: {
            numeroUnique: `0592611${String(n).padStart(8, "0")}D`,
            adults: 1 + (n % 3),
            children: n % 3,
            typology: `T${1 + (n % 5)}`,
            communesWanted: [user.insee],
            publicCategory: "autre",
            incomeQuartile: 1 + (n % 4),
            urgency: "normal",
            reason: "Signalement du banc d'essai (journée).",
            bailleurSlugs: [ANNEX1_BAILLEUR_ORDER[n % ANNEX1_BAILLEUR_ORDER.length]],
          },
        };
      },
      done: (request, body) => {
        const bailleur = (request.json as { bailleurSlugs: string[] }).bailleurSlugs[0]!;
        steps.push({ id: (JSON.parse(body) as { id: string }).id, status: "sent", bailleur });
      },
    },
    {
      // The step leaves the queue while in flight (two users never move the same signalement at once), and comes
      // back with its new status while it is open.
      name: "Écriture — étape de suivi d'un signalement (bailleur)",
      kind: "écritures",
      rate: 5,
      next: () => {
        const step = steps.shift();
        if (!step) return undefined;
        return {
          method: "POST",
          path: `/api/v1/signalements/${step.id}/events`,
          session: bailleurUser(step.bailleur, ["gestionnaire"]).session,
          json: { ...stepRequest(step.status, today), note: "Étape du banc d'essai." },
          state: step,
        };
      },
      done: (request, body) => {
        const { status } = JSON.parse(body) as { status: string };
        if (nextStep(status, today)) steps.push({ ...(request.state as Step), status });
      },
    },
    {
      name: "Écriture — attribution (bailleur, API)",
      kind: "écritures",
      rate: 4,
      next: () => {
        const user = attributionUser();
        return attributionWrite(user.session, user.slug, serial++);
      },
    },
    {
      name: "Écriture — réponse à un cas de la CRIB (bailleur)",
      kind: "écritures",
      rate: 2,
      next: () => {
        const n = cribIndex++;
        return {
          method: "POST",
          path: `/api/v1/crib/cases/${cases[n % cases.length]!.id}/answers`,
          session: cribUser().session,
          json:
            n % 2 ? { hasSolution: true, flatCommune: "59350", flatTypology: "T3" } : { hasSolution: false },
          expected: 200,
        };
      },
    },
    {
      name: "Écriture — réponse à un courrier valant avenant (signataire du bailleur)",
      kind: "écritures",
      rate: 1,
      next: () => {
        const letter = letters[letterIndex++];
        if (!letter) return undefined;
        const accept = letterIndex % 3 !== 0;
        return {
          method: "POST",
          path: `/api/v1/avenants/${letter.id}/${accept ? "accept" : "contest"}`,
          session: bailleurUser(letter.bailleur, ["signataire"]).session,
          json: accept ? undefined : { part: "rate", reason: "Droits à revoir (banc d'essai)." },
          expected: 200,
        };
      },
    },
  ];

  return [
    read("Page — accueil", "pages", 12, everyone, () => "/accueil"),
    read("Page — signalements", "pages", 10, signalementParties, () => "/signalements"),
    read(
      "Page — signalements par statut",
      "pages",
      4,
      signalementParties,
      () => "/signalements?status=searching",
    ),
    read("Page — attributions", "pages", 6, [...reservataires, "bailleur", "commune"], () => "/attributions"),
    ...reportReads("Page — consommation des droits", "pages", 7, (year) => `/consommation?year=${year}`),
    ...reportReads("Page — indicateurs", "pages", 7, (year) => `/indicateurs?year=${year}`),
    read("Page — calendrier", "pages", 4, everyone, () => "/calendrier"),
    read("Page — programmes", "pages", 3, [...reservataires, "bailleur", "commune"], () => "/programmes"),
    read("Page — liste de la CRIB", "pages", 2, ["metropole", "urh", "bailleur"], () => "/crib"),
    read("Page — courriers valant avenant", "pages", 3, [...reservataires, "bailleur"], () => "/avenants"),
    read("Page — annuaire", "pages", 2, everyone, () => "/annuaire"),
    read("API — profil", "lectures API", 4, everyone, () => "/api/v1/me"),
    read("API — signalements", "lectures API", 6, signalementParties, () => "/api/v1/signalements"),
    read(
      "API — attributions",
      "lectures API",
      4,
      [...reservataires, "bailleur", "commune"],
      (i) => `/api/v1/attributions?year=${currentYear - (i % 5)}`,
    ),
    ...reportReads(
      "API — consommation des droits",
      "lectures API",
      4,
      (year) => `/api/v1/reports/consumption?year=${year}`,
    ),
    ...reportReads(
      "API — indicateurs",
      "lectures API",
      4,
      (year) => `/api/v1/reports/indicators?year=${year}`,
    ),
    read("API — calendrier", "lectures API", 3, everyone, () => "/api/v1/calendar"),
    ...writes,
  ];
}

export const daySuite: BenchSuite = {
  name: "Une journée réelle (day)",
  requires: [signalementsSuite, reportsSuite, programmesSuite],
  prepare,
  mixes: [
    {
      name: "Journée : 300 utilisateurs",
      jobs: true,
      setUp,
      targets: [
        { label: "les pages", kind: "pages", p95ServerMs: 100 },
        { label: "les lectures de l'API", kind: "lectures API", p95ServerMs: 50 },
        { label: "les lectures de rapports sous écritures", kind: REPORT_READS, p95ServerMs: 100 },
        {
          label: "celles de l'année en cours (celle des écritures)",
          kind: CURRENT_YEAR_REPORT_READS,
          p95ServerMs: 100,
        },
      ],
    },
  ],
};
