import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** The migrations, for the tests of one migration run on a database holding rows written before it. */
export const MIGRATIONS = "db/migrations";

/** The time such a test may take: it migrates a whole database twice, slow on a loaded machine. */
export const MIGRATING_TWICE = 120_000;

type Journal = { entries: Array<{ tag: string }> };

/**
 * A copy of the migrations folder whose journal stops just before the migration tagged `…_<name>`, and that
 * migration's index (-1 when there is none: the test must fail, not pass vacuously).
 */
export function migrationsBefore(name: string): { folder: string; index: number } {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS}/meta/_journal.json`, "utf8")) as Journal;
  const index = journal.entries.findIndex((e) => e.tag.endsWith(`_${name}`));
  const folder = mkdtempSync(path.join(tmpdir(), "flux-migrations-"));
  cpSync(MIGRATIONS, folder, { recursive: true });
  writeFileSync(
    path.join(folder, "meta/_journal.json"),
    JSON.stringify({ ...journal, entries: journal.entries.slice(0, Math.max(index, 0)) }),
  );
  return { folder, index };
}
