import { sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { reportChanges } from "#db/schema";

/**
 * How many changes to the reports' data a new snapshot sees (db/schema.ts reportChanges). A later snapshot sees every
 * change an earlier one saw, so two equal sums mean the same data.
 */
export async function reportDataVersion(): Promise<number> {
  const [row] = await db
    .select({ version: sql<string>`coalesce(sum(${reportChanges.weight}), 0)::text` })
    .from(reportChanges);
  return Number(row?.version ?? 0);
}

/** Job: folds the change rows into one, keeping their sum (the cache keys do not move). Safe concurrently. */
export async function foldReportChanges(): Promise<void> {
  await db.execute(sql`
    with folded as (delete from ${reportChanges} returning ${reportChanges.weight})
    insert into ${reportChanges} (weight) select sum(weight) from folded having count(*) > 0`);
}

/** Bodies kept per process (a few hundred kilobytes at most each): the most recently used ones. */
const CAPACITY = 200;
const bodies = new Map<string, Promise<unknown>>();

/**
 * A report's body, computed once per state of its data and shared by every reader of the same `key` — the report,
 * its filters and the reader's scope, never the reader, whose rights were checked before. The data version is read
 * before the report's queries start: a change committed in between makes the entry fresher, never stale, and every
 * later reader sees a higher version. Concurrent readers of a missing entry share one computation; a failed one is
 * forgotten.
 */
export async function cachedReport<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const versioned = `${key}@${await reportDataVersion()}`;
  const cached = bodies.get(versioned) as Promise<T> | undefined;
  bodies.delete(versioned);
  const body = cached ?? compute();
  bodies.set(versioned, body);
  if (!cached) {
    body.catch(() => bodies.delete(versioned));
    if (bodies.size > CAPACITY) bodies.delete(bodies.keys().next().value!);
  }
  return body;
}
