import type Postgres from "postgres";
import { databaseDriver } from "#db/client.server";
// The patched driver, like the pool's: a lock connection lost mid-pass must not end the process (decision 0012).
import { postgres } from "#db/postgres-driver.server";

/** Job kinds running in this process: the embedded database has no other process, so this is the whole lock there. */
const running = new Set<string>();
/** PostgreSQL connections kept for the job locks: each pass of a kind holds one while it runs. */
let lockClient: Postgres.Sql | undefined;
/** The advisory locks' namespace (beside the migrations' lock, 7345001). */
const JOB_LOCKS = 7345002;

/**
 * Runs `pass` unless a pass of the same kind is running, in this process or (on PostgreSQL) in any other: then it
 * answers `skipped` at once. On PostgreSQL the lock is a session-level advisory lock on a connection of its own,
 * reserved for the pass and idle outside any transaction meanwhile: it lasts as long as the pass, and a process that
 * dies releases it with its connection. Not a transaction-level lock: a transaction left open for the pass, even idle,
 * held the database's xmin horizon, so no dead row could be cleaned up anywhere while a pass ran, and the
 * anonymisation's claims walked every row it had already updated (1 s per batch of 500 at national scale).
 */
export async function withJobLock<T>(kind: string, pass: () => Promise<T>): Promise<T | "skipped"> {
  if (running.has(kind)) return "skipped";
  running.add(kind);
  try {
    if (databaseDriver() === "pglite") return await pass();
    lockClient ??= postgres(process.env.DATABASE_URL!, { max: 6, idle_timeout: 10, onnotice: () => {} });
    const connection = await lockClient.reserve();
    try {
      const [row] = await connection`select pg_try_advisory_lock(${JOB_LOCKS}, hashtext(${kind})) as locked`;
      if (!row?.locked) return "skipped";
      try {
        return await pass();
      } finally {
        // A connection lost meanwhile has released the lock with it.
        await connection`select pg_advisory_unlock(${JOB_LOCKS}, hashtext(${kind}))`.catch(() => {});
      }
    } finally {
      connection.release();
    }
  } finally {
    running.delete(kind);
  }
}

/** Closes the locks' connections (the command line, once its pass is done). */
export async function closeJobLocks(): Promise<void> {
  const client = lockClient;
  lockClient = undefined;
  await client?.end({ timeout: 5 });
}
