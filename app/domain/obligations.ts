/**
 * The calendar of obligations (DESIGN §3 "Calendar"): when each partner owes what, and whether it is done, due or
 * late. Due dates are exclusive instants (the first moment the obligation is late), like the avenants' deadline.
 */
import { TZDate } from "@date-fns/tz";
import { PARIS } from "~/lib/dates";

export const OBLIGATION_KINDS = [
  "forecast",
  "assiette",
  "avenant_answer",
  "bilan",
  "deliveries_update",
  "deliveries_request",
  "programme_declaration",
  "comite",
  "comite_meeting",
] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

export const OBLIGATION_KIND_LABELS: Record<ObligationKind, string> = {
  forecast: "Prévision annuelle (colonnes A à G)",
  assiette: "Publication de l'assiette du flux",
  avenant_answer: "Réponse à un courrier valant avenant",
  bilan: "Bilan annuel aux réservataires",
  deliveries_update: "Mise à jour des livraisons à venir",
  deliveries_request: "Demande de mise à jour des livraisons aux bailleurs",
  programme_declaration: "Déclaration d'un programme neuf",
  comite: "Réunion du comité de suivi des contingents",
  comite_meeting: "Séance du comité de suivi",
};

/**
 * Done on time, done after the due date, settled by tacit acceptance (an avenant the bailleur let run: nothing is
 * owed any more, but it did not answer), to do, late (issue 15: « Fait » alone hid the last two).
 */
export const OBLIGATION_STATUSES = ["done", "done_late", "tacitly_accepted", "due", "late"] as const;
export type ObligationStatus = (typeof OBLIGATION_STATUSES)[number];

export const OBLIGATION_STATUS_LABELS: Record<ObligationStatus, string> = {
  done: "Fait",
  done_late: "Fait en retard",
  tacitly_accepted: "Accepté tacitement",
  due: "À faire",
  late: "En retard",
};

/** One obligation of one organisation. `doneAt` null: not done yet. */
export type Obligation = {
  kind: ObligationKind;
  /** Exclusive: at this instant an obligation not done is late. */
  dueAt: Date;
  doneAt: Date | null;
  subject: string;
  /** Stable identity (reminders are sent once per key and per user; iCalendar UID). */
  key: string;
  url: string;
  /** Settled by tacit acceptance at `doneAt` (the deadline's end), not by an answer. */
  tacit?: boolean;
  /** An event to attend (a comité meeting): shown in the calendar and the feed, never late. */
  event?: boolean;
  /** The event's start when its time is known (a comité's heldAt): a timed event in the feed, not a whole day. */
  startsAt?: Date;
};

/** Done (on time, late, or tacitly) once done; otherwise due before `dueAt`, late from `dueAt` on. */
export function obligationStatus(
  item: Pick<Obligation, "dueAt" | "doneAt" | "tacit" | "event">,
  now: Date,
): ObligationStatus {
  if (item.tacit && item.doneAt) return "tacitly_accepted";
  if (item.doneAt) return item.doneAt.getTime() >= item.dueAt.getTime() && !item.event ? "done_late" : "done";
  if (item.event) return "due";
  return now.getTime() < item.dueAt.getTime() ? "due" : "late";
}

/** « Fait en retard (le 03/03/2026) », « Accepté tacitement (le 01/05/2027) »: the status and when, as shown. */
export function obligationStatusText(
  item: { status: ObligationStatus; doneAt: Date | null },
  formatDay: (d: Date) => string,
): string {
  const label = OBLIGATION_STATUS_LABELS[item.status];
  return (item.status === "done_late" || item.status === "tacitly_accepted") && item.doneAt
    ? `${label} (le ${formatDay(item.doneAt)})`
    : label;
}

/** Midnight (Paris) starting the given calendar day, as an instant. */
export function parisMidnight(year: number, month: number, day: number): Date {
  return new Date(new TZDate(year, month - 1, day, PARIS).getTime());
}

/** January: bailleurs send their forecast to the État (004 l. 144) — late from 1 February. */
export const forecastDueAt = (year: number) => parisMidnight(year, 2, 1);

/** "pour la fin du mois de février au plus tard" (004 l. 152; model l. 591) — late from 1 March. */
export const assietteDueAt = (year: number) => parisMidnight(year, 3, 1);

/** "Avant le 28 février de chaque année" (004 Titre 5, l. 447) — late from 28 February. */
export const bilanDueAt = (year: number) => parisMidnight(year, 2, 28);

/** The two yearly requests to update coming deliveries (004 l. 298): in May and in November. */
export const DELIVERY_CAMPAIGN_MONTHS = { may: 5, november: 11 } as const;
export type DeliveryCampaignMonth = keyof typeof DELIVERY_CAMPAIGN_MONTHS;
export const DELIVERY_CAMPAIGN_LABELS: Record<DeliveryCampaignMonth, string> = {
  may: "mai",
  november: "novembre",
};

/** A campaign's key, e.g. "2026-may". */
export const deliveryCampaignKey = (year: number, month: DeliveryCampaignMonth) => `${year}-${month}`;

/** The campaign running at `now`: May's until the end of July, November's from August on (Paris). */
export function currentDeliveryCampaign(now: Date): { year: number; month: DeliveryCampaignMonth } {
  const paris = new TZDate(now, PARIS);
  return { year: paris.getFullYear(), month: paris.getMonth() < 7 ? "may" : "november" };
}

/**
 * The MEL asks the bailleurs in May and in November (004 l. 298: « La MEL sollicitera ... en mai et novembre ») —
 * its request is late from the 1st of the next month.
 */
export const deliveriesRequestDueAt = (year: number, month: DeliveryCampaignMonth) =>
  parisMidnight(year, DELIVERY_CAMPAIGN_MONTHS[month] + 1, 1);

/**
 * ASSUMPTION: a bailleur answers within the calendar month after the request was sent (the request gives no other
 * time) — late from the 1st of the month after next. Nothing is owed for a request never sent.
 */
export function deliveriesUpdateDueAt(requestedAt: Date): Date {
  const paris = new TZDate(requestedAt, PARIS);
  return parisMidnight(paris.getFullYear(), paris.getMonth() + 3, 1);
}

/** "Il se réunit a minima 1 fois par an" (004 art. 10, l. 398; model art. 5.1, l. 663) — late from 1 January next. */
export const comiteDueAt = (year: number) => parisMidnight(year + 1, 1, 1);
