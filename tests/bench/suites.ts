import type postgres from "postgres";
import { attributionsImport } from "./attributions-import";
import { churnSuite } from "./churn";
import { cycleSuite } from "./cycle";
import { daySuite } from "./day";
import { mailSuite } from "./mail";
import type { Mix } from "./mix";
import { programmesSuite } from "./programmes";
import { reportsSuite } from "./reports";
import { signalementsSuite } from "./signalements";

/**
 * What `npm run bench` measures, one suite per capability. A suite may
 * - `prepare` synthetic data at national scale straight into the bench database, just before the suite is measured
 *   (the server reads it as it would in production);
 * - list HTTP `benchmarks`, each measured with autocannon against the production build;
 * - list `timings`: an operation run once and timed from start to end (a job pass, a batch of letters, an import);
 * - list `mixes`: many users' pages, API reads and writes at once, at a stated rate (tests/bench/mix.ts).
 * Add a suite in its own file and one line to SUITES.
 */
export type Session = {
  cookie: string;
  email: string;
  /** The CSRF cookie and token of the login form, for cookie-authenticated API writes (X-CSRF-Token). */
  csrf: { cookie: string; token: string };
};

export type Benchmark = {
  name: string;
  method?: "GET" | "POST";
  path: string;
  /** The demo user the requests are made as (default admin@mel.demo.test). */
  as?: string;
  /** Headers of every request (default: the session cookie of `as`). */
  headers?: (session: Session) => Record<string, string>;
  body?: string;
  /** The status every response must have (checked once before the run, counted during it). */
  expectedStatus?: number;
  /** Target on the 95th percentile, in milliseconds. */
  p95TargetMs?: number;
  /**
   * What the target is on: the latency seen by the clients (default), or the time the server spent on each
   * response (its Server-Timing header: from the request's arrival to the response's headers), when the issue
   * says so. Both are always printed.
   */
  targetOn?: "client" | "server";
  /**
   * The load the target holds at, in requests per second, evenly spaced: each request leaves on schedule, whether
   * or not the previous ones were answered. Without it, 20 connections each send their next request as soon as they
   * have an answer: the machine's throughput, at saturation, where a latency mostly measures the queue the load
   * itself makes.
   */
  rate?: number;
};

export type BenchContext = {
  /** The bench database (PostgreSQL, postgres.js). */
  sql: postgres.Sql;
  /** The running production server. */
  baseUrl: string;
  /** Its primary process (the HTTP workers are its children). */
  serverPid?: number;
  /** A demo user's session (logged in through the form, cached per e-mail). */
  logIn: (email: string) => Promise<Session>;
};

export type Timing = {
  name: string;
  /** Target on the whole operation, in milliseconds. */
  targetMs?: number;
  /** Work done before the clock starts (not measured). */
  setUp?: (context: BenchContext) => Promise<void>;
  run: (context: BenchContext) => Promise<void>;
};

export type BenchSuite = {
  name: string;
  prepare?: (sql: postgres.Sql) => Promise<void>;
  /** Suites whose data this one reads: prepared first when they are not selected themselves. */
  requires?: BenchSuite[];
  benchmarks?: Benchmark[];
  timings?: Timing[];
  mixes?: Mix[];
};

const foundation: BenchSuite = {
  name: "Socle",
  benchmarks: [
    { name: "API — profil courant", path: "/api/v1/me", p95TargetMs: 30 },
    { name: "Page d'accueil (rendu serveur)", path: "/accueil" },
  ],
};

export const SUITES: BenchSuite[] = [
  foundation,
  signalementsSuite,
  attributionsImport,
  reportsSuite,
  programmesSuite,
  mailSuite,
  // Last: its hundred synthetic réservataires would otherwise weigh on every "who holds a contingent" lookup.
  cycleSuite,
  churnSuite,
  daySuite,
];
