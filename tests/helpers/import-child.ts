/**
 * A separate process for the killed-import test (tests/attributions-killed-import.test.ts), on the database its
 * environment names (DATABASE_URL, or the PGlite folder DATA_DIR):
 * - `prepare`: migrates, seeds the organisations, adds a Vilogia gestionnaire; prints `{ userId, organisationId }`;
 * - `import <userId> <organisationId> <file> pause|through`: imports the file; with `pause`, after the first chunk
 *   is written inside the still open transaction, prints "chunk" and waits (to be killed there); prints the result;
 * - `count`: prints how many attributions and import audit rows the database holds (one line of JSON).
 */
import fs from "node:fs";
import { count, eq } from "drizzle-orm";
import { closeDatabase, db, migrateDatabase } from "#db/client.server";
import { attributions, auditLog, memberships, organisations, users } from "#db/schema";
import { defineAbilityFor } from "#policies/ability";
import { seedOrganisations } from "#seed/seed.server";
import type { Actor } from "~/lib/actor.server";
import { importAttributionFile } from "~/models/attribution-import.server";

const [mode, ...args] = process.argv.slice(2);

if (mode === "prepare") {
  await migrateDatabase();
  await seedOrganisations(db);
  const [org] = await db.select().from(organisations).where(eq(organisations.slug, "vilogia"));
  const [user] = await db
    .insert(users)
    .values({ email: `import-${Date.now()}@vilogia.test`, name: "Import" })
    .returning();
  await db.insert(memberships).values({ userId: user!.id, organisationId: org!.id, roles: ["gestionnaire"] });
  console.log(JSON.stringify({ userId: user!.id, organisationId: org!.id }));
} else if (mode === "import") {
  const [userId, organisationId, file, pause] = args as [string, string, string, string];
  const [org] = await db.select().from(organisations).where(eq(organisations.id, organisationId));
  const actor: Actor = {
    user: { id: userId, email: "import@vilogia.test", name: "Import" },
    organisation: { id: org!.id, slug: org!.slug, kind: org!.kind, name: org!.name },
    roles: ["gestionnaire"],
    ability: defineAbilityFor({ userId, organisationId, kind: org!.kind, roles: ["gestionnaire"] }),
    via: "token",
  };
  const result = await importAttributionFile(actor, fs.readFileSync(file), {
    onChunk: async () => {
      if (pause !== "pause") return;
      console.log("chunk");
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    },
  });
  console.log(JSON.stringify(result));
} else if (mode === "count") {
  const [rows] = await db.select({ n: count() }).from(attributions);
  const [audits] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(eq(auditLog.action, "attribution.import"));
  console.log(JSON.stringify({ attributions: Number(rows!.n), audits: Number(audits!.n) }));
}
await closeDatabase();
