/**
 * How long other users wait while a big import runs (issue 14): `npx tsx tests/bench/import-latency.ts` after
 * `npm run build`. On a fresh PostgreSQL database (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * seeded with the demo, the built server imports a CSV of 100 000 attributions (IMPORT_ROWS) while another user asks
 * GET /api/v1/me without pause; prints the p50 / p99 / max of those answers during the import, and the same without
 * an import for reference. Not a test: figures depend on the machine.
 */
import { spawnSync } from "node:child_process";
import postgres from "postgres";
import { ATTRIBUTION_COLUMNS } from "~/lib/attribution-schemas";
import { REPO_ROOT, startServer } from "../e2e/server";

const ROWS = Number(process.env.IMPORT_ROWS ?? 100_000);
const SERVER_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PASSWORD = process.env.DEMO_PASSWORD || "flux-demo-2024";

function file(): string {
  const lines = [ATTRIBUTION_COLUMNS.map((c) => c.header).join(";")];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      ATTRIBUTION_COLUMNS.map((c) =>
        c.field === "numeroUnique"
          ? `0592612${String(i).padStart(7, "0")}LAT`
          : c.field === "leaseDate"
            ? `2026-${String((i % 9) + 1).padStart(2, "0")}-15`
            : c.example,
      ).join(";"),
    );
  return lines.join("\n");
}

const cookieOf = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0]!)
    .find((pair) => pair.startsWith(`${name}=`));

/** A logged-in session through the form, and the CSRF header an API write needs with it. */
async function logIn(baseUrl: string, email: string) {
  const page = await fetch(`${baseUrl}/connexion`);
  const csrfCookie = cookieOf(page, "flux_csrf")!;
  const csrf = /<input[^>]*name="csrf"[^>]*value="([^"]+)"/.exec(await page.text())![1]!;
  const response = await fetch(`${baseUrl}/connexion`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrf, email, password: PASSWORD, redirectTo: "" }),
  });
  const cookie = `${cookieOf(response, "flux_session")}; ${csrfCookie}`;
  // The CSRF token is bound to the session: the import page's, as its script sends it.
  const importPage = await fetch(`${baseUrl}/attributions/import`, { headers: { cookie } });
  const token = /<input[^>]*name="csrf"[^>]*value="([^"]+)"/.exec(await importPage.text())?.[1];
  const sessionCsrf = cookieOf(importPage, "flux_csrf");
  return {
    cookie: sessionCsrf ? `${cookieOf(response, "flux_session")}; ${sessionCsrf}` : cookie,
    "x-csrf-token": token ?? csrf,
  };
}

/** GET /api/v1/me one after the other until `until` settles; the latency of each answer, in ms. */
async function probe(baseUrl: string, cookie: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const latencies: number[] = [];
  while (!done) {
    const start = performance.now();
    const response = await fetch(`${baseUrl}/api/v1/me`, { headers: { cookie } });
    await response.arrayBuffer();
    latencies.push(performance.now() - start);
  }
  return latencies;
}

const rank = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
const summary = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return `${sorted.length} réponses, p50 ${rank(sorted, 0.5).toFixed(0)} ms, p99 ${rank(sorted, 0.99).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`;
};

const databaseName = `flux_bench_import_${process.pid}`;
const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database "${databaseName}"`);
const url = new URL(SERVER_URL);
url.pathname = `/${databaseName}`;
const server = await (async () => {
  const seed = spawnSync("npm", ["run", "seed", "--silent", "--", "--demo"], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: "inherit",
  });
  if (seed.status !== 0) throw new Error("npm run seed -- --demo a échoué.");
  return startServer({
    env: { DATABASE_URL: url.toString(), PUBLIC_URL: "http://localhost", DATA_DIR: undefined, JOBS: "off" },
  });
})();
try {
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const reader = await logIn(baseUrl, "admin@mel.demo.test");
  const importer = await logIn(baseUrl, "gestionnaire@vilogia.demo.test");
  const body = file();
  const idle = await probe(baseUrl, reader.cookie, new Promise((resolve) => setTimeout(resolve, 5_000)));
  console.log(`Sans import : ${summary(idle)}`);
  const started = performance.now();
  const importing = fetch(`${baseUrl}/api/v1/attributions/import`, {
    method: "POST",
    headers: { ...importer, "content-type": "text/csv" },
    body,
  }).then(async (response) => ({ status: response.status, body: await response.text() }));
  const during = await probe(baseUrl, reader.cookie, importing);
  const result = await importing;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Import de ${ROWS} lignes : HTTP ${result.status} en ${seconds} s, ${result.body.slice(0, 120)}`,
  );
  console.log(`Pendant l'import : ${summary(during)}`);
} finally {
  await server.stop();
  await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
  await admin.end({ timeout: 5 });
}
