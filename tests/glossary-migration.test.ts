import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { MIGRATING_TWICE, MIGRATIONS, migrationsBefore } from "./helpers/migrations";

/**
 * The migration that moves the stored French enum values to English (issue 18, decision 0024), run on a database
 * migrated up to the one before it: conventions' management modes, the delivery campaigns and the reminders keyed by
 * them. On the engine the file runs on (PostgreSQL with `DATABASE_URL`, PGlite otherwise).
 */

const before = migrationsBefore("glossary_enum_values");

type Database = {
  migrate: (folder: string) => Promise<void>;
  exec: (sql: string) => Promise<void>;
  rows: <T>(sql: string) => Promise<T[]>;
  close: () => Promise<void>;
};

/** A fresh, empty database of its own on the test server, or in memory. */
async function emptyDatabase(): Promise<Database> {
  const server = process.env.FLUX_TEST_SERVER_URL;
  if (!server) {
    const client = new PGlite();
    const db = drizzlePglite(client);
    return {
      migrate: (migrationsFolder) => migratePglite(db, { migrationsFolder }),
      exec: async (sql) => void (await client.exec(sql)),
      rows: async <T>(sql: string) => (await client.query<T>(sql)).rows,
      close: () => client.close(),
    };
  }
  const name = `flux_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const db = drizzlePostgres(client);
  return {
    migrate: (migrationsFolder) => migratePostgres(db, { migrationsFolder }),
    exec: async (sql) => void (await client.unsafe(sql)),
    rows: async <T>(sql: string) => (await client.unsafe(sql)) as unknown as T[],
    close: async () => {
      await client.end({ timeout: 5 });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}

const MEL = "00000000-0000-4000-8000-000000000001";
const BAILLEUR = "00000000-0000-4000-8000-000000000002";
const USER = "00000000-0000-4000-8000-000000000003";

describe("the glossary enum values migration", () => {
  it(
    "moves management modes, campaigns and the reminders keyed by them to the English values, and nothing else",
    async () => {
      expect(before.index).toBeGreaterThan(0);
      const database = await emptyDatabase();
      try {
        await database.migrate(before.folder);
        await database.exec(`
        insert into organisations (id, kind, name, slug) values
          ('${MEL}', 'metropole', 'MEL', 'mel'), ('${BAILLEUR}', 'bailleur', 'Bailleur', 'bailleur');
        insert into users (id, email, name) values ('${USER}', 'u@example.test', 'U');
        insert into conventions (kind, drafter_id, bailleur_id, title, start_year, end_year, management) values
          ('bilaterale', '${MEL}', '${BAILLEUR}', 'A', 2024, 2026, 'deleguee'),
          ('bilaterale', '${BAILLEUR}', '${BAILLEUR}', 'B', 2024, 2026, 'directe'),
          ('cadre', '${MEL}', null, 'C', 2024, 2026, null);
        insert into delivery_update_requests (campaign, bailleur_id) values
          ('2026-mai', '${BAILLEUR}'), ('2026-novembre', '${BAILLEUR}');
        insert into obligation_reminders (obligation_key, user_id) values
          ('deliveries-request:2026-mai', '${USER}'),
          ('deliveries:${BAILLEUR}:2026-novembre', '${USER}'),
          ('avenant:${BAILLEUR}', '${USER}');`);

        await database.migrate(MIGRATIONS);

        const management = await database.rows<{ title: string; management: string | null }>(
          "select title, management from conventions order by title",
        );
        expect(management).toEqual([
          { title: "A", management: "delegated" },
          { title: "B", management: "direct" },
          { title: "C", management: null },
        ]);
        const campaigns = await database.rows<{ campaign: string }>(
          "select campaign from delivery_update_requests order by campaign",
        );
        expect(campaigns.map((r) => r.campaign)).toEqual(["2026-may", "2026-november"]);
        const keys = await database.rows<{ obligation_key: string }>(
          "select obligation_key from obligation_reminders",
        );
        expect(keys.map((r) => r.obligation_key).sort()).toEqual([
          `avenant:${BAILLEUR}`,
          "deliveries-request:2026-may",
          `deliveries:${BAILLEUR}:2026-november`,
        ]);
      } finally {
        await database.close();
      }
    },
    MIGRATING_TWICE,
  );
});
