import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { describe, expect, it } from "vitest";
import { MIGRATING_TWICE, MIGRATIONS, migrationsBefore } from "./helpers/migrations";

/**
 * The migration that turns the CRIB sessions' day into a date (decision 0018), run on a database migrated up to the
 * one before it and holding sessions written as text: valid days are converted, an impossible one stops it loudly.
 */

const before = migrationsBefore("crib_held_on_date");

describe("the CRIB day migration", () => {
  it(
    "converts the valid days, and refuses an impossible one by name until it is corrected",
    async () => {
      expect(before.index).toBeGreaterThan(0);
      const client = new PGlite();
      const db = drizzle(client);
      await migrate(db, { migrationsFolder: before.folder });
      await client.exec(`insert into crib_sessions (id, held_on) values
      ('00000000-0000-4000-8000-000000000001', '2026-06-11'),
      ('00000000-0000-4000-8000-000000000002', '2026-02-30'),
      ('00000000-0000-4000-8000-000000000003', '11/06/2026')`);

      const refused = await migrate(db, { migrationsFolder: MIGRATIONS }).then(
        () => undefined,
        (error: Error & { cause?: { message?: string; hint?: string } }) => error.cause ?? error,
      );
      expect(refused?.message).toMatch(/^Sessions CRIB dont la date n'existe pas au calendrier :/);
      expect(refused?.message).toContain("00000000-0000-4000-8000-000000000002 : « 2026-02-30 »");
      expect(refused?.message).toContain("00000000-0000-4000-8000-000000000003 : « 11/06/2026 »");
      expect(refused?.message).not.toContain("00000000-0000-4000-8000-000000000001");
      // Nothing changed: the column is still text, every row as it was.
      const unchanged = await client.query<{ type: string }>(
        "select data_type as type from information_schema.columns where table_name = 'crib_sessions' and column_name = 'held_on'",
      );
      expect(unchanged.rows[0]?.type).toBe("text");

      await client.exec(`update crib_sessions set held_on = '2026-02-27' where id = '00000000-0000-4000-8000-000000000002';
      update crib_sessions set held_on = '2026-06-12' where id = '00000000-0000-4000-8000-000000000003'`);
      await migrate(db, { migrationsFolder: MIGRATIONS });
      const converted = await client.query<{ held_on: string; type: string }>(
        "select held_on::text, pg_typeof(held_on)::text as type from crib_sessions order by held_on",
      );
      expect(converted.rows).toEqual([
        { held_on: "2026-02-27", type: "date" },
        { held_on: "2026-06-11", type: "date" },
        { held_on: "2026-06-12", type: "date" },
      ]);
      await client.close();
    },
    MIGRATING_TWICE,
  );
});
