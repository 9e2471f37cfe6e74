import { db } from "#db/client.server";
import { deliverOutbox, smtpTransport } from "#emails/outbox.server";
import { purgeOldLoginAttempts } from "~/lib/auth.server";

/**
 * One pass of every time-driven job. Each job is idempotent and safe to run concurrently
 * (rows are claimed with FOR UPDATE SKIP LOCKED), so a pass may overlap another or be repeated.
 */
export async function runJobs(now = new Date()): Promise<Record<string, unknown>> {
  const transport = smtpTransport();
  const outbox = transport
    ? await deliverOutbox(db, transport, { now })
    : { sent: 0, failed: 0, smtp: "non configuré" };
  await purgeOldLoginAttempts(now);
  return { outbox };
}
