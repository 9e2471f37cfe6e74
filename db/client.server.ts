import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type postgresTypes from "postgres";
import { grantAppRole } from "./app-role.server";
import { acquireDataDirLock } from "./data-dir-lock.server";
import { postgres } from "./postgres-driver.server";
import * as schema from "./schema";

/** One type for both drivers; a transaction is a `Db` too, so domain functions take either. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

type Connection =
  | { driver: "postgres"; url: string; db: Db; client: postgresTypes.Sql; close: () => Promise<void> }
  | { driver: "pglite"; db: Db; client: PGlite; close: () => Promise<void> };

const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/** The embedded database's folder: `DATA_DIR`, or `./data`; `memory://` keeps it in memory (tests). */
export function embeddedDataDir(): string {
  return process.env.DATA_DIR || path.join(process.cwd(), "data");
}

/**
 * PostgreSQL through postgres.js when `DATABASE_URL` is set, embedded PGlite otherwise.
 * PGlite is one process: the data folder is locked so that a second process is refused with a clear message.
 */
function connect(): Connection {
  const url = process.env.DATABASE_URL;
  if (url) {
    const client = postgres(url, { max: Number(process.env.DATABASE_POOL_SIZE ?? 10), onnotice: () => {} });
    return {
      driver: "postgres",
      url,
      client,
      db: drizzlePostgres(client, { schema }) as unknown as Db,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = embeddedDataDir();
  const release = dataDir.startsWith("memory://") ? () => {} : acquireDataDirLock(dataDir);
  if (!dataDir.startsWith("memory://")) fs.mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  return {
    driver: "pglite",
    client,
    db: drizzlePglite(client, { schema }) as unknown as Db,
    close: async () => {
      await client.close();
      release();
    },
  };
}

let connection: Connection | undefined;

function current(): Connection {
  connection ??= connect();
  return connection;
}

/** The process-wide database, opened on first use. */
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const target = current().db as unknown as Record<PropertyKey, unknown>;
    const value = target[property];
    return typeof value === "function" ? value.bind(target) : value;
  },
});

/**
 * A query built once per connection (a drizzle prepared query with `sql.placeholder`s) for the paths every request
 * takes: building the SQL again each time costs more than running it.
 */
export function preparedQuery<T>(build: (connection: Db) => T): () => T {
  const built = new WeakMap<Db, T>();
  return () => {
    const connectionDb = current().db;
    let query = built.get(connectionDb);
    if (query === undefined) {
      query = build(connectionDb);
      built.set(connectionDb, query);
    }
    return query;
  };
}

export function databaseDriver(): "postgres" | "pglite" {
  return current().driver;
}

/**
 * Applies the committed drizzle-kit migrations; on PostgreSQL under an advisory lock so that two starts do not race,
 * as the tables' owner (`DATABASE_OWNER_URL`), who then grants the server's role (`DATABASE_URL`) its rights.
 */
export async function migrateDatabase(): Promise<void> {
  const conn = current();
  if (conn.driver === "pglite") {
    await migratePglite(conn.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  // A dedicated one-connection client: the session-level advisory lock and the migrations share its connection.
  // (drizzle's postgres-js driver needs a client's `options`, which a postgres.js transaction or reserved connection lacks.)
  const client = postgres(process.env.DATABASE_OWNER_URL || conn.url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(7345001)`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER });
    const [[owner], [app]] = [
      await client`select current_user as role`,
      await conn.client`select current_user as role`,
    ];
    if (owner?.role !== app?.role) await grantAppRole(client, app!.role);
    await client`select pg_advisory_unlock(7345001)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * On PostgreSQL, refuses to serve as a role that is a superuser or owns the tables: the server's role must not be able
 * to change the audit log or the read logs (decision 0014). The server calls it once migrated.
 */
export async function checkServerRole(): Promise<void> {
  const conn = current();
  if (conn.driver === "pglite") return;
  const [role] = await conn.client`
    select r.rolsuper as superuser, pg_has_role(t.tableowner, 'USAGE') as owner
    from pg_roles r, pg_tables t
    where r.rolname = current_user and t.schemaname = 'public' and t.tablename = 'audit_log'`;
  if (role?.superuser || role?.owner)
    throw new Error(
      "DATABASE_URL se connecte en superutilisateur ou en propriétaire des tables : donnez au serveur un rôle restreint (DATABASE_URL) et aux migrations le propriétaire (DATABASE_OWNER_URL) — voir le README, « Production ».",
    );
}

export async function closeDatabase(): Promise<void> {
  const conn = connection;
  connection = undefined;
  await conn?.close();
}

/** Rows of a raw `execute` result (on `db` or a transaction), whichever driver answered (postgres.js: an array; PGlite: `{ rows }`). */
export async function queryRows<T>(query: ReturnType<typeof sql>, tx: Db = db): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/** Codes of a connection lost or refused: postgres.js' own, the socket's, and PostgreSQL's 57P01–57P03 and 08xxx. */
const CONNECTION_LOSS =
  /^(CONNECTION_(CLOSED|DESTROYED|ENDED)|CONNECT_TIMEOUT|ECONNREFUSED|ECONNRESET|EPIPE|57P0[123]|08...)$/;

/** Whether an error (or its cause, as drizzle wraps the driver's) says the database connection was lost. */
export function isConnectionLost(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (CONNECTION_LOSS.test(String((e as { code?: unknown }).code ?? ""))) return true;
  return false;
}
