import { eq, isNull, or, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { reportChanges } from "#db/schema";

/**
 * How many changes to a year's reports' data a new snapshot sees (db/schema.ts reportChanges): the changes of that
 * year and those of every year. A later snapshot sees every change an earlier one saw, so two equal sums mean the
 * same data for that year.
 */
export async function reportDataVersion(year: number): Promise<number> {
  const [row] = await db
    .select({ version: sql<string>`coalesce(sum(${reportChanges.weight}), 0)::text` })
    .from(reportChanges)
    .where(or(eq(reportChanges.year, year), isNull(reportChanges.year)));
  return Number(row?.version ?? 0);
}

/** Job: folds the change rows into one per year, keeping their sums (the cache keys do not move). Safe concurrently. */
export async function foldReportChanges(): Promise<void> {
  await db.execute(sql`
    with folded as (delete from ${reportChanges} returning ${reportChanges.year}, ${reportChanges.weight})
    insert into ${reportChanges} (year, weight) select year, sum(weight) from folded group by year`);
}

/**
 * Bodies kept per process, the most recently used ones: every report of every organisation for five years (about
 * 2 300 in the day of `npm run bench`: 110 scopes × 5 years × 4 kinds), most of a few kilobytes; the dozen read by
 * the whole-territory partners weigh up to a megabyte.
 */
const CAPACITY = 3000;
const bodies = new Map<string, Promise<unknown>>();

/**
 * A report's body for a year, computed once per state of that year's data and shared by every reader of the same
 * `key` — the report, its filters and the reader's scope, never the reader, whose rights were checked before. The
 * data version is read before the report's queries start: a change committed in between makes the entry fresher,
 * never stale, and every later reader sees a higher version. Concurrent readers of a missing entry share one
 * computation; a failed one is forgotten.
 */
export async function cachedReport<T>(key: string, year: number, compute: () => Promise<T>): Promise<T> {
  const versioned = `${key}:${year}@${await reportDataVersion(year)}`;
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
