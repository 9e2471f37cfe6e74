/**
 * A mixed load (`Mix`): many users' requests of several kinds (pages, API reads, writes) sent open loop at a stated
 * rate, each request from its own user's session, with the percentiles of the server's time per kind and per
 * operation, and the database's CPU share. Shared with run.ts: one request on a keep-alive connection, percentiles.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import { SMTPServer } from "smtp-server";
import type { BenchContext, Session } from "./suites";

/** Every measure keeps at least this many samples per kind, so that its p99 is not one of its few worst requests. */
export const MIN_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 5;
/** The users of a mix each hold a browser's connection; 64 keep-alive sockets are plenty at 100 requests/s. */
const MIX_CONNECTIONS = 64;

// ── Shared with run.ts ─────────────────────────────────────────────────────────────────────────────────────────
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50, p95 and p99 of these values (exact, nearest rank). */
export function percentiles(values: number[]): [number, number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  return [percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99)];
}

export const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : "—");

/** The `dur` of a `Server-Timing: app;dur=…` header value, if any. */
export function serverDuration(value: string | undefined): number | undefined {
  const dur = value ? /(?:^|;)dur=([\d.]+)/.exec(value)?.[1] : undefined;
  return dur === undefined ? undefined : Number(dur);
}

/** What a request sends, and the status it expects back. */
export type Target = {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  expected: number;
};

export type Reply = { status: number; serverTiming?: string; body: string };

/** One request on this keep-alive connection: its status, Server-Timing and body (read whole). */
export function send(request: Target, agent: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const { url, expected: _, body, ...options } = request;
    const sent = http.request(url, { ...options, agent, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          serverTiming: response.headers["server-timing"]?.toString(),
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      response.on("error", reject);
    });
    sent.on("timeout", () => sent.destroy(new Error("délai dépassé")));
    sent.on("error", reject);
    sent.end(body);
  });
}

// ── Mixes ──────────────────────────────────────────────────────────────────────────────────────────────────────
/** One request of a mix: a page or API path, as one user, with a JSON body for writes. */
export type MixRequest = {
  path: string;
  session: Session;
  method?: "GET" | "POST";
  json?: unknown;
  expected?: number;
  /** What the operation needs back when the answer comes (`done`). */
  state?: unknown;
};

export type Operation = {
  name: string;
  /** The group its percentiles are printed and targeted under (pages, API reads, writes…). */
  kind: string;
  /**
   * Also counted among the report reads (whose target holds under write churn); those of the current year, whose data
   * the mix's writes change (the reports are cached per year: decision 0006), are also counted apart.
   */
  report?: "current year" | "past years";
  /** Its share of the mix, in requests per second. */
  rate: number;
  /** Runs alongside the measured kinds (a write churn) without its own minimum of samples. */
  background?: true;
  /** The next request, or undefined when there is nothing to do now (counted as skipped). */
  next: () => MixRequest | undefined;
  /** Told of each answer with the expected status (e.g. to queue the signalement a write created). */
  done?: (request: MixRequest, body: string) => void;
};

export type MixTarget = { label: string; kind: string; p95ServerMs: number };

export type Mix = {
  name: string;
  /** Logs its users in and returns the operations (run before the warm-up). */
  setUp: (context: BenchContext) => Promise<Operation[]>;
  targets: MixTarget[];
  /** Measured with the server's scheduled jobs running and its mail sent to a local SMTP server. */
  jobs?: true;
};

/** The label that groups the report reads of every kind. */
export const REPORT_READS = "lectures de rapports";
/** The report reads of the year the writes change, of every kind. */
export const CURRENT_YEAR_REPORT_READS = "lectures de rapports de l'année en cours";

type Stats = { server: number[]; latencies: number[]; bad: number; errors: number; skipped: number };
const emptyStats = (): Stats => ({ server: [], latencies: [], bad: 0, errors: 0, skipped: 0 });

/**
 * Smooth weighted round robin: each operation gets exactly its share of every second, evenly interleaved (a random
 * draw would leave the small shares lumpy over a short run).
 */
function scheduler(operations: Operation[]) {
  const credit = operations.map(() => 0);
  const total = operations.reduce((sum, o) => sum + o.rate, 0);
  return () => {
    let best = 0;
    operations.forEach((operation, i) => {
      credit[i]! += operation.rate;
      if (credit[i]! > credit[best]!) best = i;
    });
    credit[best]! -= total;
    return operations[best]!;
  };
}

function targetOf(baseUrl: string, request: MixRequest): Target {
  const { session } = request;
  const write = request.method === "POST";
  return {
    url: `${baseUrl}${request.path}`,
    method: request.method ?? "GET",
    headers: write
      ? {
          cookie: `${session.cookie}; ${session.csrf.cookie}`,
          "x-csrf-token": session.csrf.token,
          "content-type": "application/json",
        }
      : { cookie: session.cookie },
    body: request.json === undefined ? undefined : JSON.stringify(request.json),
    expected: request.expected ?? (write ? 201 : 200),
  };
}

/** User + system CPU ticks of a process (fields 14 and 15 of /proc/<pid>/stat), if it is readable. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}
const TICKS_PER_SECOND = 100;

/**
 * The CPU the bench database's backends use, from /proc/<pid>/stat of every backend pg_stat_activity shows on it
 * (client backends and autovacuum workers; not the server's shared checkpointer and WAL writer), sampled each second:
 * a backend that ends between two samples loses at most its last second.
 */
function databaseCpu(context: BenchContext) {
  const seen = new Map<number, { first: number; last: number }>();
  let readable = true;
  const sample = async () => {
    const rows = await context.sql<Array<{ pid: number }>>`
      select pid from pg_stat_activity where datname = current_database()`;
    for (const { pid } of rows) {
      const ticks = cpuTicks(pid);
      if (ticks === undefined) readable = false;
      else seen.set(pid, { first: seen.get(pid)?.first ?? ticks, last: ticks });
    }
  };
  const timer = setInterval(() => void sample().catch(() => {}), 1000);
  const started = performance.now();
  const ready = sample();
  return async () => {
    clearInterval(timer);
    await ready;
    await sample();
    const seconds = (performance.now() - started) / 1000;
    let ticks = 0;
    for (const { first, last } of seen.values()) ticks += last - first;
    return readable ? ticks / TICKS_PER_SECOND / seconds : undefined;
  };
}

/** The processes whose parent is `pid` (from /proc/<pid>/task/<tid>/children). */
function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" "))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * The CPU seconds the portal's processes (the primary, which runs the jobs, and its HTTP workers) use during the
 * measure. Divided by the answers, it is the server's CPU per request: unlike latency, it does not depend on what
 * else the machine is doing, so it tells how many requests a second the server's cores can carry.
 */
function serverCpu(pid: number | undefined) {
  const processes = () => (pid === undefined ? [] : [pid, ...childrenOf(pid)]);
  const total = () => processes().reduce((sum, p) => sum + (cpuTicks(p) ?? 0), 0);
  const first = total();
  return () => (pid === undefined ? undefined : (total() - first) / TICKS_PER_SECOND);
}

/** A local SMTP server that accepts every mail (the portal's mail sender delivers to it during a mix). */
export async function smtpSink() {
  let delivered = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on("end", () => {
        delivered++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    delivered: () => delivered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Open loop: `rate` requests per second, evenly spaced, whatever the answers' pace (autocannon's `overallRate` sends
 * each second's quota at once, then waits: bursts, not a rate). As from many users, the requests take turns over
 * `connections` keep-alive connections (the server's workers share them out). `fire` gets each request's scheduled
 * time: a latency runs from it, so a server falling behind shows.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  connections: number,
  fire: (i: number, due: number, agent: http.Agent) => Promise<void> | undefined,
) {
  const agents = Array.from(
    { length: connections },
    () => new http.Agent({ keepAlive: true, maxSockets: 1 }),
  );
  const started = performance.now();
  const answers: Array<Promise<void> | undefined> = [];
  for (let i = 0; i < rate * seconds; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    answers.push(fire(i, due, agents[i % connections]!));
  }
  await Promise.all(answers);
  for (const agent of agents) agent.destroy();
}

/** The operations at their summed rate for `seconds`, open loop; the stats are kept per operation. */
function run(context: BenchContext, operations: Operation[], seconds: number, stats: Map<Operation, Stats>) {
  const rate = operations.reduce((sum, o) => sum + o.rate, 0);
  const pick = scheduler(operations);
  return openLoop(rate, seconds, MIX_CONNECTIONS, (_i, due, agent) => {
    const operation = pick();
    const s = stats.get(operation)!;
    const request = operation.next();
    if (!request) {
      s.skipped++;
      return undefined;
    }
    const target = targetOf(context.baseUrl, request);
    return send(target, agent)
      .then((reply) => {
        if (reply.status !== target.expected) {
          s.bad++;
          if (s.bad <= 3)
            console.error(
              `${operation.name} (${request.session.email}) : ${target.method} ${request.path} → ` +
                `${reply.status} ${reply.body.slice(0, 200)}`,
            );
          return;
        }
        s.latencies.push(performance.now() - due);
        const dur = serverDuration(reply.serverTiming);
        if (dur !== undefined) s.server.push(dur);
        operation.done?.(request, reply.body);
      })
      .catch(() => {
        s.errors++;
      });
  });
}

const merge = (all: Stats[]): Stats => ({
  server: all.flatMap((s) => s.server),
  latencies: all.flatMap((s) => s.latencies),
  bad: all.reduce((n, s) => n + s.bad, 0),
  errors: all.reduce((n, s) => n + s.errors, 0),
  skipped: all.reduce((n, s) => n + s.skipped, 0),
});

function row(label: string, s: Stats, seconds: number) {
  const [p50, p95, p99] = percentiles(s.server);
  return {
    "": label,
    réponses: s.server.length,
    "req/s": Math.round(s.latencies.length / seconds),
    "serveur p50": ms(p50),
    "serveur p95": ms(p95),
    "serveur p99": ms(p99),
    "client p95": ms(percentiles(s.latencies)[1]),
    "erreurs et statuts inattendus": s.errors + s.bad,
    "sans objet": s.skipped,
  };
}

/** Targets and their measures; `count` when the value is a number of requests rather than milliseconds. */
export type MixResult = Array<{ label: string; value: number | undefined; target: number; count?: true }>;

/**
 * Sets the mix up, warms the server up for 5 s at the mix's own load, then measures long enough for each measured
 * kind to reach MIN_SAMPLES (at least BENCH_DURATION). Prints per kind, per operation, the database's CPU; returns
 * the targets with their measures (one more: no error at all).
 */
export async function runMix(context: BenchContext, mix: Mix): Promise<MixResult> {
  const operations = await mix.setUp(context);
  const [stated, ...others] = RATE_FACTORS;
  const result = await measureMix(context, mix, operations, stated!);
  // Other loads are printed for information (where the machine holds the targets); only the stated one is checked.
  for (const factor of others) await measureMix(context, mix, operations, factor);
  return result;
}

/**
 * `BENCH_MIX_RATES=1,0.5`: the mixes run at their stated rates, then at half of them, on the same data (the first
 * factor's figures are checked against the targets).
 */
const RATE_FACTORS = (process.env.BENCH_MIX_RATES ?? "1").split(",").map(Number);

async function measureMix(
  context: BenchContext,
  mix: Mix,
  statedOperations: Operation[],
  factor: number,
): Promise<MixResult> {
  const operations = statedOperations.map((o) => ({ ...o, rate: o.rate * factor }));
  const rate = operations.reduce((sum, o) => sum + o.rate, 0);
  const kindRates = new Map<string, number>();
  for (const o of operations.filter((o) => !o.background))
    kindRates.set(o.kind, (kindRates.get(o.kind) ?? 0) + o.rate);
  const background = operations.filter((o) => o.background).reduce((sum, o) => sum + o.rate, 0);
  const load = `${rate - background} req/s${background ? ` et ${background} écriture(s)/s en fond` : ""}`;
  const seconds = Math.max(DURATION_S, ...[...kindRates.values()].map((r) => Math.ceil(MIN_SAMPLES / r)));
  console.log(
    `${rate} requêtes/s régulièrement espacées (${[...kindRates].map(([k, r]) => `${k} ${r}/s`).join(", ")}), ` +
      `${WARMUP_S} s de chauffe puis ${seconds} s mesurées (${MIN_SAMPLES} réponses au moins par genre)…`,
  );
  await run(context, operations, WARMUP_S, new Map(operations.map((o) => [o, emptyStats()])));
  const stats = new Map(operations.map((o) => [o, emptyStats()]));
  const cpu = databaseCpu(context);
  const portalCpu = serverCpu(context.serverPid);
  const benchCpu = process.cpuUsage();
  const started = performance.now();
  await run(context, operations, seconds, stats);
  const elapsed = (performance.now() - started) / 1000;
  const databaseCores = await cpu();
  const portalSeconds = portalCpu();
  const { user, system } = process.cpuUsage(benchCpu);

  const byKind = new Map<string, Stats>();
  for (const kind of new Set(operations.map((o) => o.kind)))
    byKind.set(kind, merge(operations.filter((o) => o.kind === kind).map((o) => stats.get(o)!)));
  const reports = operations.filter((o) => o.report).map((o) => stats.get(o)!);
  if (reports.length > 0) byKind.set(REPORT_READS, merge(reports));
  const currentYear = operations.filter((o) => o.report === "current year").map((o) => stats.get(o)!);
  if (currentYear.length > 0) byKind.set(CURRENT_YEAR_REPORT_READS, merge(currentYear));
  const everything = merge([...stats.values()]);
  console.table([
    ...[...byKind].map(([kind, s]) => row(kind, s, elapsed)),
    row("total", everything, elapsed),
  ]);
  console.table(operations.map((o) => row(o.name, stats.get(o)!, elapsed)));
  console.log(
    databaseCores === undefined
      ? "Part CPU de la base : /proc des processus PostgreSQL illisible (serveur distant ?)."
      : `Part CPU de la base (/proc/<pid>/stat de ses processus, utilisateur + système, sur ${elapsed.toFixed(0)} s) : ` +
          `${databaseCores.toFixed(2)} cœur, ${((100 * databaseCores) / os.availableParallelism()).toFixed(0)} % ` +
          `des ${os.availableParallelism()} cœurs de la machine.`,
  );
  const answers = everything.latencies.length + everything.bad;
  if (portalSeconds !== undefined)
    console.log(
      `CPU du portail (processus principal et ses ${childrenOf(context.serverPid!).length} processus HTTP) : ` +
        `${(portalSeconds / elapsed).toFixed(2)} cœur, ${((1000 * portalSeconds) / answers).toFixed(1)} ms de CPU ` +
        `par réponse ; CPU du banc d'essai lui-même : ${((user + system) / 1e6 / elapsed).toFixed(2)} cœur.`,
    );
  return [
    ...mix.targets.map((t) => ({
      label: `${mix.name} — p95 du temps serveur ≤ ${t.p95ServerMs} ms pour ${t.label} à ${load}`,
      value: percentiles(byKind.get(t.kind)?.server ?? [])[1],
      target: t.p95ServerMs,
    })),
    {
      label: `${mix.name} — aucune erreur ni statut inattendu`,
      value: everything.errors + everything.bad,
      target: 0,
      count: true as const,
    },
  ];
}
