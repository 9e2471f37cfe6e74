import { TZDate } from "@date-fns/tz";
import { addDays, addMonths, format, startOfDay } from "date-fns";
import { formatParis, noonUtcOf, PARIS } from "~/lib/dates";

/**
 * The deadline of a *courrier valant avenant*: "sans réaction de sa part dans un délai de deux mois après l'envoi
 * du projet par le réservataire" (004, line 154; model convention art. 2, line 593).
 *
 * The period ends at the end of the day (Europe/Paris) that has the same day-number two months after sending, or the
 * last day of that month when it has no such day (31 December → 28/29 February) — date-fns' addMonths clamps so.
 * Returned as the Paris calendar day (for letters and screens) and as the exclusive instant at which the period is
 * over (midnight starting the next day, Paris time), the one the tacit-acceptance job compares with — and the
 * instant a tacit acceptance takes effect, whenever the job notices it (DESIGN §3 « Two months »).
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

/** "1er février 2027", "samedi 30 janvier 2027" (French ordinal for the first of the month), in Paris time. */
export function frenchDay(date: Date | string, withWeekday = false): string {
  const day = formatParis(date, "d");
  const rest = formatParis(date, withWeekday ? "EEEE '§' MMMM yyyy" : "'§' MMMM yyyy");
  return rest.replace("§", day === "1" ? "1er" : day);
}

/** « samedi 30 janvier 2027 à 24 h (heure de Paris) »: the end of a period whose last day is `lastDay`. */
export const deadlineEnd = (lastDay: string) =>
  `${frenchDay(noonUtcOf(lastDay), true)} à 24 h (heure de Paris)`;

/** « délai expirant le samedi 30 janvier 2027 à 24 h (heure de Paris) ». */
export const deadlineSentence = (lastDay: string) => `délai expirant le ${deadlineEnd(lastDay)}`;

/**
 * The two months are contractual, not a procedural period: CPC art. 642 (extension to the next working day) does not
 * apply, and the convention (004 l. 154, l. 593) extends nothing — a deadline on a Saturday ends on that Saturday.
 */
export const DEADLINE_NOT_EXTENDED =
  "Ce délai contractuel n'est pas prorogé lorsqu'il expire un samedi, un dimanche ou un jour férié (l'article 642 du code de procédure civile ne s'applique pas).";

/**
 * When a letter was accepted, in words: a tacit acceptance at the end of its last day (« le samedi 30 janvier 2027 à
 * 24 h (heure de Paris) »), an explicit one at its instant (« le 1er février 2027 à 10:05 »).
 */
export function acceptedOn(acceptance: { at: Date | string; tacitLastDay: string | null }): string {
  if (acceptance.tacitLastDay) return `le ${deadlineEnd(acceptance.tacitLastDay)}`;
  return `le ${frenchDay(acceptance.at)} à ${formatParis(acceptance.at, "HH:mm")}`;
}
