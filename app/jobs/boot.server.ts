import { checkServerRole, databaseDriver, db, embeddedDataDir, migrateDatabase } from "#db/client.server";
import { seedDemoWorld } from "#seed/demo/world.server";
import { DEFAULT_DEMO_PASSWORD, isEmpty, seedDemoUsers, seedOrganisations } from "#seed/seed.server";
import { scheduleJobs } from "./run.server";

/**
 * Start-up: migrate, check the server's database role, add missing organisations, and on a new embedded database the
 * demo accounts and the demo world (DEMO_WORLD=empty: the accounts alone); then run the jobs, each kind on its
 * schedule. Prints where to log in.
 */
export async function boot({ port }: { port: number }) {
  await migrateDatabase();
  await checkServerRole();
  const firstRun = await isEmpty(db);
  await seedOrganisations(db);
  const embedded = databaseDriver() === "pglite";
  if (embedded && firstRun) {
    await seedDemoUsers(db);
    if (process.env.DEMO_WORLD !== "empty") await makeDemoWorld();
  }

  const password = process.env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
  console.log(
    [
      "",
      `Base de données : ${embedded ? `PGlite embarquée (${embeddedDataDir()})` : "PostgreSQL (DATABASE_URL)"}`,
      `Connexion : http://localhost:${port}/connexion`,
      embedded
        ? `Comptes de démonstration : <rôle>@<organisation>.demo.test, mot de passe « ${password} »`
        : "Comptes de démonstration : créez-les avec « npm run seed -- --demo » (mot de passe DEMO_PASSWORD).",
      "  rôles : admin, signataire, gestionnaire, lecteur ; organisations : mel, etat, departement-nord, urh,",
      "  action-logement, sicf, chaque bailleur (vilogia, lille-metropole-habitat…), commune-59350 (Lille),",
      "  commune-59512 (Roubaix), commune-59599 (Tourcoing). Exemple : admin@mel.demo.test",
      "",
    ].join("\n"),
  );

  // JOBS=off when the jobs run elsewhere (a cron calling `npm run jobs`), or not at all (the benchmark).
  if (process.env.JOBS === "off") return { stopJobs: undefined };
  return { stopJobs: scheduleJobs() };
}

/** The demo world on a new embedded database; a failure is told, and the portal still starts with the accounts. */
async function makeDemoWorld() {
  try {
    const world = await seedDemoWorld(db);
    if (world.created)
      console.log(
        `Monde de démonstration du ${world.day} créé en ${world.seconds.toFixed(1)} s (${world.cpuSeconds.toFixed(1)} s de calcul ; voir le README).`,
      );
  } catch (error) {
    console.error("Monde de démonstration non créé :", error instanceof Error ? error.message : error);
  }
}
