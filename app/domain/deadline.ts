import { TZDate } from "@date-fns/tz";
import { addDays, addMonths, format, startOfDay } from "date-fns";
import { PARIS } from "~/lib/dates";

/**
 * The deadline of a *courrier valant avenant*: "sans réaction de sa part dans un délai de deux mois après l'envoi
 * du projet par le réservataire" (004, line 154; model convention art. 2, line 593).
 *
 * The period ends at the end of the day (Europe/Paris) that has the same day-number two months after sending, or the
 * last day of that month when it has no such day (31 December → 28/29 February) — date-fns' addMonths clamps so.
 * Returned as the Paris calendar day (for letters and screens) and as the exclusive instant at which the period is
 * over (midnight starting the next day, Paris time), the one the tacit-acceptance job compares with.
 */
export function avenantDeadline(sentAt: Date): { lastDay: string; endsAt: Date } {
  const lastDayInParis = addMonths(new TZDate(sentAt, PARIS), 2);
  const endsAt = startOfDay(addDays(lastDayInParis, 1));
  return { lastDay: format(lastDayInParis, "yyyy-MM-dd"), endsAt: new Date(endsAt.getTime()) };
}

/** Whether the bailleur may still answer at `now`. */
export function isWithinDeadline(sentAt: Date, now: Date): boolean {
  return now.getTime() < avenantDeadline(sentAt).endsAt.getTime();
}
