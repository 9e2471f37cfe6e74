import { databaseDriver, db, embeddedDataDir, migrateDatabase } from "#db/client.server";
import { DEFAULT_DEMO_PASSWORD, isEmpty, seedDemoUsers, seedOrganisations } from "#seed/seed.server";
import { runJobs } from "./run.server";

const JOBS_INTERVAL_MS = 60_000;

/**
 * Start-up: migrate, add missing organisations, and on a new embedded database the demo accounts;
 * then run the jobs every minute. Prints where to log in.
 */
export async function boot({ port }: { port: number }) {
  await migrateDatabase();
  const firstRun = await isEmpty(db);
  await seedOrganisations(db);
  const embedded = databaseDriver() === "pglite";
  if (embedded && firstRun) await seedDemoUsers(db);

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
  if (process.env.JOBS === "off") return { jobsTimer: undefined };
  const tick = () =>
    runJobs().catch((error) =>
      console.error("Tâches planifiées :", error instanceof Error ? error.message : error),
    );
  const jobsTimer = setInterval(tick, JOBS_INTERVAL_MS);
  jobsTimer.unref();
  return { jobsTimer };
}
