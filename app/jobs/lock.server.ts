import { databaseDriver } from "#db/client.server";
// The patched driver, like the pool's: a lock connection lost mid-pass must not end the process (decision 0012).
import { postgres } from "#db/postgres-driver.server";

/** Job kinds running in this process: the embedded database has no other process, so this is the whole lock there. */
const running = new Set<string>();
/** The advisory locks' namespace (beside the migrations' lock, 7345001). */
const JOB_LOCKS = 7345002;

/**
 * Runs `pass` unless a pass of the same kind is running, in this process or (on PostgreSQL) in any other: then it
 * answers `skipped` at once. On PostgreSQL the lock is a session-level advisory lock on a connection opened for the
 * pass and idle outside any transaction meanwhile: it lasts as long as the pass, and ends with its connection,
 * closed after the pass or lost with a process that dies. Not a transaction-level lock: a transaction left open for
 * the pass, even idle, held the database's xmin horizon, so no dead row could be cleaned up anywhere while a pass
 * ran, and the anonymisation's claims walked every row it had already updated (1 s per batch of 500 at national
 * scale). Not a pooled connection: one cut mid-pass must not stay in a pool, still counted as reserved.
 */
export async function withJobLock<T>(kind: string, pass: () => Promise<T>): Promise<T | "skipped"> {
  if (running.has(kind)) return "skipped";
  running.add(kind);
  try {
    if (databaseDriver() === "pglite") return await pass();
    const connection = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      const [row] = await connection`select pg_try_advisory_lock(${JOB_LOCKS}, hashtext(${kind})) as locked`;
      return row?.locked ? await pass() : "skipped";
    } finally {
      // Closing the connection releases the lock (a connection lost meanwhile has released it already).
      await connection.end({ timeout: 5 }).catch(() => {});
    }
  } finally {
    running.delete(kind);
  }
}
