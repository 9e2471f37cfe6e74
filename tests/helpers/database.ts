import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { type Db, db } from "#db/client.server";
import * as schema from "#db/schema";

/**
 * The database's refusal of a statement, whichever driver reported it (drizzle wraps the driver's error in `cause`):
 * the messages of the error and its causes, or "accepted".
 */
export async function refusal(statement: Promise<unknown>): Promise<string> {
  const messages: string[] = [];
  await statement.catch((error) => {
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
  });
  return messages.join(" | ") || "accepted";
}

/**
 * Runs `work` as the tables' owner, who runs the migrations: on PostgreSQL a connection of its own to
 * `DATABASE_OWNER_URL` (the tests' `db` is the server's restricted role); on PGlite, the one user there is.
 */
export async function asOwner<T>(work: (owner: Db) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_OWNER_URL;
  if (!url) return work(db);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(drizzle(client, { schema }) as unknown as Db);
  } finally {
    await client.end({ timeout: 5 });
  }
}
