import { count, sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { db, isConnectionLost, queryRows } from "#db/client.server";
import { attributions } from "#db/schema";
import { runJobs } from "~/jobs/run.server";
import { ATTRIBUTION_COLUMNS } from "~/lib/attribution-schemas";
import { answeringLostConnection } from "~/lib/lost-connection.server";
import { action as pageImport } from "~/routes/_app.attributions.import";
import { action as apiImport } from "~/routes/api.v1.attributions.import";
import { loader as organisationsLoader } from "~/routes/api.v1.organisations";
import { apiCaller, callApi } from "../helpers/api";
import { browserOf } from "../helpers/cycle";
import { createUser } from "../helpers/fixtures";

/**
 * A database connection lost in the middle of a request (a backend terminated, PostgreSQL restarted): the request
 * gets a French 503, nothing is half-written, the pool reconnects and the process keeps serving. Before, postgres.js
 * wrote the transaction's rollback to the dead connection from a `setImmediate` and the process died.
 * PGlite runs in the process: it has no backend to terminate, hence no such test there.
 */
const onPostgres = Boolean(process.env.DATABASE_URL);
const UNAVAILABLE = "La base de données est momentanément indisponible, réessayez dans un instant.";

/** Terminates, from another connection, every backend of this database running a statement that matches `like`. */
async function terminateWhen(like: string, stop: { done: boolean }): Promise<number> {
  const killer = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    while (!stop.done) {
      const killed = await killer<{ pid: number }[]>`
        select pid from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and query ilike ${like}
          and state = 'active'`;
      if (killed.length > 0) {
        await killer`select pg_terminate_backend(pid) from unnest(${killed.map((k) => k.pid)}::int[]) pid`;
        return killed.length;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return 0;
  } finally {
    await killer.end({ timeout: 5 });
  }
}

function attributionFile(n: number): string {
  const lines = [ATTRIBUTION_COLUMNS.map((c) => c.header).join(";")];
  for (let i = 0; i < n; i++)
    lines.push(
      ATTRIBUTION_COLUMNS.map((c) =>
        c.field === "numeroUnique" ? `0592401${String(i).padStart(6, "0")}K` : c.example,
      ).join(";"),
    );
  return lines.join("\n");
}

/** Terminates one backend by its process id, from another connection. */
async function terminate(pid: number): Promise<void> {
  const killer = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  await killer`select pg_terminate_backend(${pid})`.finally(() => killer.end({ timeout: 5 }));
}

const backendPid = async (tx: typeof db) =>
  (await queryRows<{ pid: number }>(sql`select pg_backend_pid() as pid`, tx))[0]!.pid;

describe.skipIf(!onPostgres)("a lost database connection (PostgreSQL only: PGlite has no backend)", () => {
  it("rejects a transaction whose statement is cut, and the pool reconnects", async () => {
    const failure = await db
      .transaction(async (tx) => {
        const pid = await backendPid(tx);
        setTimeout(() => void terminate(pid), 100);
        await tx.execute(sql`select pg_sleep(5)`);
      })
      .catch((error: unknown) => error);
    expect(isConnectionLost(failure)).toBe(true);
    expect(await queryRows(sql`select 1 as one`)).toEqual([{ one: 1 }]);
  });

  it("rejects the next statement of a transaction whose connection died between two statements", async () => {
    const failure = await db
      .transaction(async (tx) => {
        await terminate(await backendPid(tx));
        await new Promise((resolve) => setTimeout(resolve, 100));
        await tx.execute(sql`select 1`);
      })
      .catch((error: unknown) => error);
    expect(isConnectionLost(failure)).toBe(true);
    expect(await queryRows(sql`select 1 as one`)).toEqual([{ one: 1 }]);
  });

  it("answers the import in flight with a French 503, writes nothing, and the next requests succeed", async () => {
    const bailleur = await apiCaller("vilogia", ["gestionnaire"]);
    const stop = { done: false };
    const killing = terminateWhen("%json_to_recordset%", stop);
    const answer = await callApi(bailleur, apiImport, {
      path: "/attributions/import",
      init: { method: "POST", body: attributionFile(20_000) },
    }).finally(() => {
      stop.done = true;
    });
    expect([await killing, answer]).toMatchObject([1, { status: 503, body: { message: UNAVAILABLE } }]);
    expect((await db.select({ n: count() }).from(attributions))[0]!.n).toBe(0);
    expect((await callApi(bailleur, organisationsLoader, { path: "/organisations" })).status).toBe(200);
  }, 120_000);

  it("answers the import page's form the same way (every loader and action of the server is wrapped)", async () => {
    const page = await browserOf(await createUser("vilogia", ["gestionnaire"]));
    const form = new FormData();
    form.set("file", new File([attributionFile(20_000)], "attributions.csv", { type: "text/csv" }));
    const stop = { done: false };
    const killing = terminateWhen("%json_to_recordset%", stop);
    const answer = await page
      .post(answeringLostConnection(pageImport), "/attributions/import", form)
      .finally(() => {
        stop.done = true;
      });
    expect(await killing).toBeGreaterThan(0);
    expect(answer).toMatchObject({ status: 503, body: { message: UNAVAILABLE } });
    expect((await db.select({ n: count() }).from(attributions))[0]!.n).toBe(0);
  }, 120_000);

  it("survives a job pass whose connections are terminated, and the next pass runs whole", async () => {
    const stop = { done: false };
    // Every statement of the pass is a candidate: the first one seen running is cut.
    const killing = terminateWhen("%", stop);
    await runJobs(new Date("2026-03-01T00:00:00Z"))
      .catch((error) => error)
      .finally(() => {
        stop.done = true;
      });
    await killing;
    await expect(runJobs(new Date("2026-03-01T00:01:00Z"))).resolves.toBeTruthy();
  }, 120_000);
});
