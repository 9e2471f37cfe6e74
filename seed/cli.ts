/**
 * `npm run seed [-- --demo | --empty]`: migrates and adds missing organisations; `--demo` adds the demo accounts and
 * the demo world (seed/demo, decision 0017), `--empty` the demo accounts alone. Safe to run twice. Refuses the demo
 * world on a database holding anything else, and on the embedded database while the server holds it.
 */
import { closeDatabase, db, migrateDatabase } from "#db/client.server";
import { seedDemoWorld } from "./demo/world.server";
import { seedDemoUsers, seedOrganisations } from "./seed.server";

const empty = process.argv.includes("--empty");
const demo = process.argv.includes("--demo") && !empty;

try {
  await migrateDatabase();
  const organisations = await seedOrganisations(db);
  console.log(`Organisations ajoutées : ${organisations}`);
  if (demo || empty) {
    const users = await seedDemoUsers(db);
    console.log(`Comptes de démonstration créés : ${users}`);
  }
  if (demo) {
    const world = await seedDemoWorld(db);
    console.log(
      world.created
        ? `Monde de démonstration du ${world.day} créé en ${world.seconds.toFixed(1)} s (${world.cpuSeconds.toFixed(1)} s de calcul).`
        : "Monde de démonstration déjà présent : rien à faire.",
    );
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
