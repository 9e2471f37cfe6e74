import { acceptDueAvenants, remindAvenants } from "~/models/avenants.server";

/**
 * The avenants' time-driven work (004 line 154): reminders 15 and 3 days before the end of the two-month period,
 * then tacit acceptance of the letters whose period is over. Idempotent and safe concurrently (see the models).
 */
export async function runAvenantJobs(now: Date) {
  const reminders = await remindAvenants(now);
  const tacitlyAccepted = await acceptDueAvenants(now);
  return { reminders, tacitlyAccepted };
}
