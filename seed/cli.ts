/**
 * `npm run seed [-- --demo]`: migrates, adds missing organisations and, with --demo, the demo accounts.
 * Safe to run twice. On the embedded database, refuses while the server holds it.
 */
import { closeDatabase, db, migrateDatabase } from "#db/client.server";
import { seedDemoUsers, seedOrganisations } from "./seed.server";

try {
  await migrateDatabase();
  const organisations = await seedOrganisations(db);
  console.log(`Organisations ajoutées : ${organisations}`);
  if (process.argv.includes("--demo")) {
    const users = await seedDemoUsers(db);
    console.log(`Comptes de démonstration créés : ${users}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
