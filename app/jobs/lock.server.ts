import type Postgres from "postgres";
import { databaseDriver } from "#db/client.server";
// The patched driver, like the pool's: a lock connection lost mid-pass must not end the process (decision 0012).
import { postgres } from "#db/postgres-driver.server";

/** Job kinds running in this process: the embedded database has no other process, so this is the whole lock there. */
const running = new Set<string>();
/** PostgreSQL connections kept for the job locks: each pass of a kind holds one, in a transaction, while it runs. */
let lockClient: Postgres.Sql | undefined;
/** The advisory locks' namespace (beside the migrations' lock, 7345001). */
const JOB_LOCKS = 7345002;

/**
 * Runs `pass` unless a pass of the same kind is running, in this process or (on PostgreSQL) in any other: then it
 * answers `skipped` at once. On PostgreSQL the lock is a transaction-level advisory lock on a connection of its own:
 * it lasts exactly as long as the pass, and a process that dies releases it with its connection.
 */
export async function withJobLock<T>(kind: string, pass: () => Promise<T>): Promise<T | "skipped"> {
  if (running.has(kind)) return "skipped";
  running.add(kind);
  try {
    if (databaseDriver() === "pglite") return await pass();
    lockClient ??= postgres(process.env.DATABASE_URL!, { max: 6, idle_timeout: 10, onnotice: () => {} });
    // (postgres.js types a transaction's result as if it might be an array of promises: it is the pass's result.)
    return (await lockClient.begin(async (tx) => {
      // The transaction only holds the lock, idle while the pass works on other connections: no timeout may end it.
      await tx`set local idle_in_transaction_session_timeout = 0`;
      const [row] = await tx`select pg_try_advisory_xact_lock(${JOB_LOCKS}, hashtext(${kind})) as locked`;
      return row?.locked ? await pass() : ("skipped" as const);
    })) as T | "skipped";
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
