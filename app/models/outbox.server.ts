import { desc } from "drizzle-orm";
import { db } from "#db/client.server";
import { emailOutbox } from "#db/schema";

/** The latest mails of the outbox, for MEL admins (and the only way to read them when SMTP is not configured). */
export async function latestMails(limit = 100) {
  return db.select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(limit);
}
