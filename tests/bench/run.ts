/**
 * `npm run bench`: load test of the BUILT portal on PostgreSQL, over loopback only.
 *
 * 1. a fresh database `flux_bench_<pid>` (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres,
 *    is the server used to create and drop it), owned by BENCH_PG_URL's user and served as the restricted role
 *    `flux_app`, created unless it exists (decision 0014);
 * 2. `npm run seed -- --empty` against it (the demo accounts without the demo world: each suite makes its own data),
 *    then `node server.js` on a free port; demo users log in through the /connexion form (CSRF cookie + field);
 * 3. suite by suite (tests/bench/suites.ts): its synthetic data, then its HTTP benchmarks (a 5 s warm-up, then
 *    10 s: autocannon's 20 connections without pause, or requests evenly spaced at the benchmark's `rate`) and its
 *    timed operations;
 * 4. prints requests/s and the p50, p95 and p99 latencies, checks the targets; stops the server, drops the database.
 *
 * Percentiles are exact (nearest rank) over the latencies of every expected response of the measured run
 * (autocannon's `response` events: autocannon itself reports p90 and p97.5 but no p95). The time the server spent
 * on each response (its Server-Timing header) gets the same percentiles; a benchmark's target is on one or the
 * other (`targetOn`).
 * Exit code 1 when a target is missed (KO) or an entry could not be measured.
 * BENCH_DURATION (s) and BENCH_CONNECTIONS override the defaults, e.g. for a quick try; BENCH_ONLY=cycle,socle
 * measures only the suites whose name contains one of these words (and prepares the data of the suites they
 * require). A measure at a stated rate, and each kind of a mix (tests/bench/mix.ts), lasts until it has
 * BENCH_SAMPLES answers (2 000); BENCH_SCALE shrinks the synthetic data (tests/bench/scale.ts). BENCH_KEEP_DB=1 keeps
 * the database at the end, to profile the server on the same data afterwards.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import postgres from "postgres";
import { asAppRole, ensureAppRole } from "#db/app-role.server";
import { closeDatabase } from "#db/client.server";
import { REPO_ROOT, type RunningServer, startServer } from "../e2e/server";
import {
  MIN_SAMPLES,
  type MixResult,
  ms,
  openLoop,
  percentiles,
  runMix,
  send,
  serverDuration,
  smtpSink,
  type Target,
} from "./mix";
import { type BenchContext, type Benchmark, type BenchSuite, type Session, SUITES } from "./suites";

// ── autocannon (CommonJS, no bundled types: the little we use is typed here) ──────────────────────────────────
/** The raw response headers autocannon's HTTP parser hands to a client's `headers` listeners. */
type ParsedHeaders = { statusCode: number; headers: string[] };
type AutocannonClient = { on(event: "headers", listener: (parsed: ParsedHeaders) => void): void };
type AutocannonOptions = {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  duration: number;
  setupClient?: (client: AutocannonClient) => void;
};
type AutocannonResult = { errors: number; timeouts: number };
type AutocannonInstance = Promise<AutocannonResult> & {
  on(
    event: "response",
    listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void,
  ): void;
  stop(): void;
};
const autocannon = createRequire(import.meta.url)("autocannon") as (
  options: AutocannonOptions,
) => AutocannonInstance;

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
/**
 * Long enough for V8 to compile the server's hot code: after 2 s, a page's first measure on a fresh server was still
 * ~10 ms slower at the 95th percentile than the same measure repeated.
 */
const WARMUP_S = 5;
const DEMO_PASSWORD = process.env.DEMO_PASSWORD || "flux-demo-2024";
const ONLY = (process.env.BENCH_ONLY ?? "").toLowerCase().split(",").filter(Boolean);
const SELECTED = SUITES.filter(
  (suite) => ONLY.length === 0 || ONLY.some((word) => suite.name.toLowerCase().includes(word)),
);

// ── Helpers ──────────────────────────────────────────────────────────────────────────────────────────────────
function heading(text: string) {
  console.log(`\n── ${text} ${"─".repeat(Math.max(0, 100 - text.length))}`);
}

/** `name=value` of a Set-Cookie header list. */
function cookieFrom(response: Response, name: string): string | undefined {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(";");
    if (pair?.startsWith(`${name}=`)) return pair;
  }
  return undefined;
}

const csrfFieldOf = (html: string) => /<input[^>]*name="csrf"[^>]*value="([^"]+)"/.exec(html)?.[1];

/**
 * Logs in through the form exactly as a browser without JavaScript would; returns the session cookie and the CSRF
 * token of the session (bound to it, decision 0004: the login form's token is no longer valid once signed in).
 */
async function logIn(baseUrl: string, email: string, password: string): Promise<Session> {
  const page = await fetch(`${baseUrl}/connexion`);
  const csrfCookie = cookieFrom(page, "flux_csrf");
  const csrfField = csrfFieldOf(await page.text());
  if (!csrfCookie || !csrfField) throw new Error("Page /connexion : cookie flux_csrf ou champ csrf absent.");
  const response = await fetch(`${baseUrl}/connexion`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrf: csrfField, email, password, redirectTo: "" }),
  });
  const session = cookieFrom(response, "flux_session");
  const location = response.headers.get("location");
  if (response.status >= 400 || !session || location !== "/accueil") {
    throw new Error(`Connexion de ${email} refusée : HTTP ${response.status}, location ${location}.`);
  }
  const home = await fetch(`${baseUrl}/accueil`, { headers: { cookie: session } });
  const token = csrfFieldOf(await home.text());
  if (!token) throw new Error(`Page /accueil de ${email} : champ csrf absent.`);
  return { cookie: session, email, csrf: { cookie: csrfCookie, token } };
}

type Measure = {
  benchmark: Benchmark;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** The same percentiles of the time the server spent (its Server-Timing header). */
  server: { p50: number; p95: number; p99: number };
  /** Connection errors and timeouts, and responses with another status than the expected one. */
  errors: number;
  bad: number;
};

/** The Server-Timing duration among the raw headers autocannon's parser hands over. */
function serverDurationOf(headers: string[]): number | undefined {
  for (let i = 0; i < headers.length; i += 2)
    if (headers[i]!.toLowerCase() === "server-timing") return serverDuration(headers[i + 1]);
  return undefined;
}

type Samples = { latencies: number[]; serverTimes: number[]; bad: number; errors: number };

/** Closed loop (autocannon): each connection sends its next request as soon as it has its answer. */
async function saturate(request: Target, seconds: number, samples?: Samples) {
  const { expected, ...target } = request;
  const options = { ...target, connections: CONNECTIONS, duration: seconds };
  if (!samples) return void (await autocannon(options));
  const run = autocannon({
    ...options,
    setupClient: (client) =>
      client.on("headers", ({ statusCode, headers }) => {
        const dur = serverDurationOf(headers);
        if (statusCode === expected && dur !== undefined) samples.serverTimes.push(dur);
      }),
  });
  run.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode === expected) samples.latencies.push(responseTime);
    else samples.bad++;
  });
  const result = await run;
  samples.errors += result.errors + result.timeouts;
}

/** Open loop at `rate` requests per second over the bench's connections (see `openLoop`). */
function pace(request: Target, rate: number, seconds: number, samples: Samples) {
  return openLoop(rate, seconds, CONNECTIONS, (_i, due, agent) =>
    send(request, agent)
      .then(({ status, serverTiming }) => {
        if (status !== request.expected) return void samples.bad++;
        samples.latencies.push(performance.now() - due);
        const dur = serverDuration(serverTiming);
        if (dur !== undefined) samples.serverTimes.push(dur);
      })
      .catch(() => {
        samples.errors++;
      }),
  );
}

/** Long enough for MIN_SAMPLES answers at a stated rate: at 20/s, 10 s left 200, whose p99 is the second-worst. */
const measuredSeconds = (benchmark: Benchmark) =>
  benchmark.rate ? Math.max(DURATION_S, Math.ceil(MIN_SAMPLES / benchmark.rate)) : DURATION_S;

async function measure(baseUrl: string, session: Session, benchmark: Benchmark): Promise<Measure> {
  const request: Target = {
    url: `${baseUrl}${benchmark.path}`,
    method: benchmark.method ?? "GET",
    headers: benchmark.headers ? benchmark.headers(session) : { cookie: session.cookie },
    body: benchmark.body,
    expected: benchmark.expectedStatus ?? 200,
  };
  const { url, expected, ...init } = request;
  const probe = await fetch(url, { ...init, redirect: "manual" });
  await probe.arrayBuffer();
  if (probe.status !== expected)
    throw new Error(`${init.method} ${benchmark.path} répond ${probe.status} (attendu ${expected}).`);

  // The warm-up runs without pause whatever the measured load: the server's code is then compiled and its
  // connections open, as on a server that has been up for a while.
  await saturate(request, WARMUP_S);
  const samples: Samples = { latencies: [], serverTimes: [], bad: 0, errors: 0 };
  const started = performance.now();
  if (benchmark.rate) await pace(request, benchmark.rate, measuredSeconds(benchmark), samples);
  else await saturate(request, DURATION_S, samples);
  const elapsed = (performance.now() - started) / 1000;
  const [p50, p95, p99] = percentiles(samples.latencies);
  const [s50, s95, s99] = percentiles(samples.serverTimes);
  return {
    benchmark,
    requests: samples.latencies.length,
    perSecond: samples.latencies.length / elapsed,
    p50,
    p95,
    p99,
    max: samples.latencies.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
    server: { p50: s50, p95: s95, p99: s99 },
    errors: samples.errors,
    bad: samples.bad,
  };
}

// ── Main ─────────────────────────────────────────────────────────────────────────────────────────────────────
const adminUrl = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const databaseName = `flux_bench_${process.pid}`;
const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${databaseName}` }).toString();
const serverUrl = asAppRole(databaseUrl);
// The models some suites call in this process (bare SQL, a job pass) talk to the bench database, never another;
// no SMTP either: the mails stay in the bench's outbox.
process.env.DATABASE_URL = serverUrl;
process.env.DATABASE_OWNER_URL = databaseUrl;
process.env.SMTP_URL = "";
// The job passes some suites run in this process build mail links, from PUBLIC_URL only (as the server does).
process.env.PUBLIC_URL = "http://localhost";
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
const bench = postgres(databaseUrl, { max: 4, onnotice: () => {} });
let server: RunningServer | undefined;
let databaseCreated = false;
let failed = false;

async function cleanUp() {
  await server?.stop();
  server = undefined;
  await closeDatabase();
  await bench.end({ timeout: 5 });
  if (databaseCreated && process.env.BENCH_KEEP_DB)
    console.log(`Base ${databaseName} gardée (BENCH_KEEP_DB).`);
  else if (databaseCreated) {
    await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
    databaseCreated = false;
    console.log(`Base ${databaseName} supprimée.`);
  }
  await admin.end({ timeout: 5 });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal} : arrêt du serveur et suppression de la base…`);
    cleanUp().finally(() => process.exit(130));
  });
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const DEFAULT_USER = "admin@mel.demo.test";

type Timed = { timing: { name: string; targetMs?: number }; ms: number };

try {
  heading(`Base PostgreSQL ${databaseName}`);
  await ensureAppRole(admin);
  await admin.unsafe(`create database "${databaseName}"`);
  databaseCreated = true;
  const seed = spawnSync("npm", ["run", "seed", "--silent", "--", "--empty"], {
    cwd: REPO_ROOT,
    env: process.env,
    stdio: "inherit",
  });
  if (seed.status !== 0) throw new Error(`npm run seed -- --empty a échoué (code ${seed.status}).`);

  heading("Serveur (build de production)");
  /**
   * No scheduled jobs unless a mix asks for them (with its mail to a local SMTP server): they would anonymise the old
   * synthetic signalements mid-run. Sessions live in the database, so they outlive a restart.
   */
  const serve = async (smtpUrl?: string) => {
    await server?.stop();
    server = await startServer({
      env: {
        DATABASE_URL: serverUrl,
        // Links in mails come from PUBLIC_URL only; on PostgreSQL the server refuses to start without it.
        PUBLIC_URL: "http://localhost",
        DATA_DIR: undefined,
        JOBS: smtpUrl ? undefined : "off",
        SMTP_URL: smtpUrl ?? "",
      },
    });
    context.baseUrl = `http://127.0.0.1:${server.port}`;
    context.serverPid = server.process.pid;
    console.log(
      `node server.js sur ${context.baseUrl}${smtpUrl ? `, tâches planifiées et SMTP ${smtpUrl}` : ""}`,
    );
  };
  const sessions = new Map<string, Promise<Session>>();
  const context: BenchContext = {
    sql: bench,
    baseUrl: "",
    logIn: (email) => {
      if (!sessions.has(email)) sessions.set(email, logIn(context.baseUrl, email, DEMO_PASSWORD));
      return sessions.get(email)!;
    },
  };

  await serve();
  const measures: Measure[] = [];
  const timed: Timed[] = [];
  const mixed: MixResult = [];
  const prepared = new Set<BenchSuite>();
  const prepare = async (suite: BenchSuite) => {
    for (const required of suite.requires ?? []) await prepare(required);
    if (!suite.prepare || prepared.has(suite)) return;
    prepared.add(suite);
    heading(`Données synthétiques : ${suite.name}`);
    const started = performance.now();
    await suite.prepare(bench);
    await bench`analyze`;
    console.log(`Prêtes en ${ms(performance.now() - started)}.`);
  };
  for (const suite of SELECTED) {
    // Each suite's data arrives just before it is measured, so that one suite's synthetic organisations do not
    // weigh on the suites measured before it (the server reads everything from the database).
    await prepare(suite);
    for (const benchmark of suite.benchmarks ?? []) {
      heading(`${benchmark.name} : ${benchmark.method ?? "GET"} ${benchmark.path}`);
      const load = benchmark.rate
        ? `${benchmark.rate} requêtes/s régulièrement espacées`
        : `${CONNECTIONS} connexions sans pause`;
      console.log(`${load}, ${WARMUP_S} s de chauffe puis ${measuredSeconds(benchmark)} s mesurées…`);
      try {
        const session = await context.logIn(benchmark.as ?? DEFAULT_USER);
        const m = await measure(context.baseUrl, session, benchmark);
        measures.push(m);
        console.log(
          `${m.requests} requêtes, ${m.perSecond.toFixed(0)} req/s, p50 ${ms(m.p50)}, p95 ${ms(m.p95)}, ` +
            `p99 ${ms(m.p99)}, max ${ms(m.max)} ; temps serveur p50 ${ms(m.server.p50)}, ` +
            `p95 ${ms(m.server.p95)}, p99 ${ms(m.server.p99)} ; erreurs et délais dépassés ${m.errors}, ` +
            `statut inattendu ${m.bad}`,
        );
        if (m.errors + m.bad > 0) failed = true;
      } catch (error) {
        failed = true;
        console.error(`Non mesuré : ${errorText(error)}`);
      }
    }
    for (const timing of suite.timings ?? []) {
      heading(timing.name);
      try {
        await timing.setUp?.(context);
        const started = performance.now();
        await timing.run(context);
        const elapsed = performance.now() - started;
        timed.push({ timing, ms: elapsed });
        console.log(`Durée : ${ms(elapsed)}`);
      } catch (error) {
        failed = true;
        console.error(`Non mesuré : ${errorText(error)}`);
      }
    }
    for (const mix of suite.mixes ?? []) {
      heading(mix.name);
      const sink = mix.jobs ? await smtpSink() : undefined;
      try {
        if (sink) await serve(sink.url);
        mixed.push(...(await runMix(context, mix)));
        if (sink)
          console.log(`Courriels reçus par le serveur SMTP local pendant la mesure : ${sink.delivered()}.`);
      } catch (error) {
        failed = true;
        console.error(`Non mesuré : ${errorText(error)}`);
      } finally {
        if (sink) {
          await serve();
          await sink.close();
        }
      }
    }
  }

  heading("Résultats");
  console.log("Percentiles exacts (rang le plus proche) sur toutes les réponses attendues de la mesure.\n");
  console.table(
    measures.map((m) => ({
      requête: `${m.benchmark.method ?? "GET"} ${m.benchmark.path}`,
      compte: m.benchmark.as ?? DEFAULT_USER,
      "req/s": Math.round(m.perSecond),
      p50: ms(m.p50),
      p95: ms(m.p95),
      p99: ms(m.p99),
      "serveur p50": ms(m.server.p50),
      "serveur p95": ms(m.server.p95),
      "non conformes": m.errors + m.bad,
    })),
  );
  if (timed.length > 0) console.table(timed.map((t) => ({ opération: t.timing.name, durée: ms(t.ms) })));
  const targets = [
    ...mixed,
    ...SELECTED.flatMap((suite) => suite.benchmarks ?? [])
      .filter((b) => b.p95TargetMs !== undefined)
      .map((b) => {
        const m = measures.find((x) => x.benchmark === b);
        const where = `pour ${b.path} (${b.as ?? DEFAULT_USER})${b.rate ? ` à ${b.rate} req/s` : ""}`;
        return b.targetOn === "server"
          ? {
              label: `p95 du temps serveur ≤ ${b.p95TargetMs} ms ${where}`,
              value: m?.server.p95,
              target: b.p95TargetMs!,
            }
          : { label: `p95 ≤ ${b.p95TargetMs} ms ${where}`, value: m?.p95, target: b.p95TargetMs! };
      }),
    ...SELECTED.flatMap((suite) => suite.timings ?? [])
      .filter((t) => t.targetMs !== undefined)
      .map((t) => ({
        label: `${t.name} en ≤ ${t.targetMs} ms`,
        value: timed.find((x) => x.timing === t)?.ms,
        target: t.targetMs!,
      })),
  ];
  for (const { label, value, target, count } of targets as Array<MixResult[number]>) {
    const ok = value !== undefined && value <= target;
    if (!ok) failed = true;
    console.log(
      `Objectif : ${label} — ${value !== undefined ? `mesuré ${count ? value : ms(value)}` : "non mesuré"} : ${ok ? "OK" : "KO"}`,
    );
  }
} catch (error) {
  failed = true;
  console.error(errorText(error));
  if (server) console.error(`Sortie du serveur :\n${server.output()}`);
} finally {
  heading("Nettoyage");
  await cleanUp();
}
process.exitCode = failed ? 1 : 0;
