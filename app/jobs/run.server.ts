import { db } from "#db/client.server";
import { deliverOutbox, smtpTransport } from "#emails/outbox.server";
import { purgeOldLoginAttempts } from "~/lib/auth.server";
import { remindBilans } from "~/models/bilans.server";
import { remindLateObligations } from "~/models/calendar.server";
import { anonymiseClosedCribCases } from "~/models/crib.server";
import { foldReportChanges } from "~/models/report-cache.server";
import { anonymiseClosedSignalements } from "~/models/signalements.server";
import { runAvenantJobs } from "./avenants.server";
import { signalementDigestJob } from "./signalement-digest.server";

/**
 * One pass of every time-driven job. Each job is idempotent and safe to run concurrently
 * (rows are claimed with FOR UPDATE SKIP LOCKED), so a pass may overlap another or be repeated.
 */
export async function runJobs(now = new Date()): Promise<Record<string, unknown>> {
  // Before the outbox, so that the mails they queue leave in the same pass; side by side, as they touch different
  // rows (the avenants' work is mostly computing, the obligations' mostly waiting on many small queries).
  const [avenants, obligations, bilanReminders, signalementDigests] = await Promise.all([
    runAvenantJobs(now),
    remindLateObligations(now),
    remindBilans(now),
    signalementDigestJob(now),
  ]);
  const transport = smtpTransport();
  const outbox = transport
    ? await deliverOutbox(db, transport, { now })
    : { sent: 0, failed: 0, smtp: "non configuré" };
  await purgeOldLoginAttempts(now);
  const signalements = await anonymiseClosedSignalements(now);
  const cribCases = await anonymiseClosedCribCases(now);
  await foldReportChanges();
  return { outbox, signalements, cribCases, avenants, obligations, bilanReminders, signalementDigests };
}
