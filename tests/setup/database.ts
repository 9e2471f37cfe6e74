import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll } from "vitest";
import { asAppRole, ensureAppRole } from "#db/app-role.server";

/**
 * Every test file gets a private, freshly migrated database:
 * - with `DATABASE_URL` set, a new PostgreSQL database `flux_test_<random>` on that server, dropped afterwards,
 *   migrated as `DATABASE_URL`'s user (its owner) and used as the server's restricted role, as in production;
 * - otherwise an in-memory PGlite (`DATA_DIR=memory://`).
 * `db/client.server.ts` opens its connection on first use, so the environment only has to be set before the first
 * query; it is imported dynamically, after the environment is ready.
 */

// The server to create databases on; remembered in case the same process runs several files.
const serverUrl = process.env.FLUX_TEST_SERVER_URL ?? process.env.DATABASE_URL;
let databaseName: string | undefined;

// Links in e-mails come from PUBLIC_URL (required on PostgreSQL); the tests' requests use this origin.
process.env.PUBLIC_URL ??= "http://localhost:3000";

if (serverUrl) {
  process.env.FLUX_TEST_SERVER_URL = serverUrl;
  databaseName = `flux_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await ensureAppRole(admin);
    await admin.unsafe(`CREATE DATABASE ${databaseName}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  process.env.DATABASE_OWNER_URL = url.toString();
  process.env.DATABASE_URL = asAppRole(url.toString());
  process.env.DATABASE_POOL_SIZE ??= "5";
} else {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = "memory://";
}

const { closeDatabase, migrateDatabase } = await import("#db/client.server");

async function dropDatabase() {
  await closeDatabase();
  if (serverUrl && databaseName) {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  }
}

try {
  await migrateDatabase();
} catch (error) {
  // A failed setup must not leave a database behind on the server.
  await dropDatabase();
  throw error;
}

afterAll(dropDatabase);
