/**
 * `npm run jobs -- [--now 2026-03-01T00:00:00Z]`: one pass of each kind of time-driven job, by hand (a kind that a
 * server is running at that moment is skipped). On the embedded database, refuses while the server holds it (the
 * server runs the same jobs on their schedules).
 */
import { closeDatabase, migrateDatabase } from "#db/client.server";
import { runJobs } from "./run.server";

const index = process.argv.indexOf("--now");
const now = index >= 0 ? new Date(process.argv[index + 1] ?? "") : new Date();
if (Number.isNaN(now.getTime())) {
  console.error("Date --now invalide : utilisez le format ISO, par exemple --now 2026-03-01T00:00:00Z.");
  process.exit(2);
}
try {
  await migrateDatabase();
  console.log(JSON.stringify(await runJobs(now), null, 2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
