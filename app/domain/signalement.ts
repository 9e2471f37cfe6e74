/**
 * Signalements: a commune signals a household (a DLS, identified by its SNE numéro unique) to one or more bailleurs,
 * which follow it up until it is rehoused or closed. Source: 004 art. 6, 7 and 9 ("les DLS signalées par les
 * réservataires et les communes", 004_…txt l. 284 and 636), and the MEL deliberation of 15 Dec 2023 at the end of 004
 * ("dans la gestion en flux, la commune signale aux bailleurs les candidatures qu'elle souhaite reloger ; le bailleur
 * s'engage à rechercher une solution de relogement"). Refusals are counted after the CALEOL decision letter
 * (004_…txt l. 421 and 693). Pure rules: no database, no framework.
 */

import { isIsoDay } from "~/lib/dates";
import { TYPOLOGIES, type Typology } from "./housing";

// ---------------------------------------------------------------------------------------------------------------
// Numéro unique (SNE)
// ---------------------------------------------------------------------------------------------------------------

/**
 * ASSUMPTION: the seeds only say that a registered demand receives a "numéro unique" (000_…txt l. 399–422), not its
 * shape. We accept the national shape of the numéro unique d'enregistrement: the department code on 3 characters
 * (059, 062, 02A/02B, 971–976), the year and month of registration (4 digits, YYMM), a sequence number (5 to 8
 * digits) and a key (1 to 3 letters or digits), e.g. « 059 2401 00123 A ». Spaces, dots and dashes are ignored and
 * letters upper-cased, so « 059-2401-00123 a » and « 0592401 00123A » are the same demand.
 */
const NUMERO_UNIQUE_PATTERN = /^(0\d{2}|02[AB]|97[1-6])(\d{2})(0[1-9]|1[0-2])(\d{5,8})([A-Z0-9]{1,3})$/;

export const NUMERO_UNIQUE_SHAPE =
  "Le numéro unique attendu commence par le code du département sur 3 caractères (059 pour le Nord), suivi de " +
  "l'année et du mois d'enregistrement (4 chiffres, AAMM), d'un numéro d'ordre (5 à 8 chiffres) et d'une clé " +
  "(1 à 3 lettres ou chiffres) — par exemple 059 2401 00123 A.";

/** Removes spaces, dots and dashes and upper-cases; the stored and compared form. */
export function normaliseNumeroUnique(raw: string): string {
  return raw.replace(/[\s.\-_]/g, "").toUpperCase();
}

/** The normalised numéro unique, or a French explanation of the expected shape. */
export function parseNumeroUnique(raw: string): { ok: true; value: string } | { ok: false; error: string } {
  const value = normaliseNumeroUnique(raw ?? "");
  if (!value) return { ok: false, error: `Indiquez le numéro unique de la demande. ${NUMERO_UNIQUE_SHAPE}` };
  if (!NUMERO_UNIQUE_PATTERN.test(value))
    return { ok: false, error: `Numéro unique « ${raw.trim()} » invalide. ${NUMERO_UNIQUE_SHAPE}` };
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------------------------
// Household description
// ---------------------------------------------------------------------------------------------------------------

/** The publics of art. 9 of the convention cadre (DESIGN §3, "Publics that may be mobilised per contingent"). */
export const PUBLIC_CATEGORIES = [
  "dalo_labellise",
  "pdalhpd_labellise",
  "mbc_labellise",
  "npru",
  "cible_cia_declaree",
  "autre",
] as const;
export type PublicCategory = (typeof PUBLIC_CATEGORIES)[number];

export const PUBLIC_CATEGORY_LABELS: Record<PublicCategory, string> = {
  dalo_labellise: "DALO labellisé",
  pdalhpd_labellise: "PDALHPD labellisé",
  mbc_labellise: "Mutation bloquée ou complexe (MBC) labellisée",
  npru: "Relogement NPRU",
  cible_cia_declaree: "Public cible CIA déclaré dans le SNE",
  autre: "Autre demande",
};

export const URGENCIES = ["normal", "urgent", "very_urgent"] as const;
export type Urgency = (typeof URGENCIES)[number];
export const URGENCY_LABELS: Record<Urgency, string> = {
  normal: "Normale",
  urgent: "Urgente",
  very_urgent: "Très urgente",
};

/** Income quartiles of the CIA (1 = lowest), DESIGN §3 "every income quartile". */
export const INCOME_QUARTILES = [1, 2, 3, 4] as const;

/** An INSEE commune code: 5 digits, or 2A/2B + 3 digits for Corsica. */
export const INSEE_CODE_PATTERN = /^(\d{5}|2[AB]\d{3})$/;

/** Shown on the form next to every free-text field: a signalement is personal data (issue 4, "Personal data"). */
export const SENSITIVE_DATA_WARNING =
  "N'écrivez aucune information de santé, ni aucune autre donnée sensible (origine, religion, opinions, " +
  "situation judiciaire…) : indiquez seulement ce qui justifie la demande de relogement.";

// ---------------------------------------------------------------------------------------------------------------
// Status machine
// ---------------------------------------------------------------------------------------------------------------

export const SIGNALEMENT_STATUSES = [
  "sent",
  "acknowledged",
  "searching",
  "presented_caleol",
  "caleol_decision",
  "lease_signed",
  "refused_by_household",
  "not_retained",
  "closed",
] as const;
export type SignalementStatus = (typeof SIGNALEMENT_STATUSES)[number];
/** An event moves the signalement to the status of the same name. */
export type SignalementEventType = SignalementStatus;

export const STATUS_LABELS: Record<SignalementStatus, string> = {
  sent: "Envoyé",
  acknowledged: "Accusé de réception",
  searching: "Recherche en cours",
  presented_caleol: "Présenté en CALEOL",
  caleol_decision: "Décision de la CALEOL",
  lease_signed: "Bail signé",
  refused_by_household: "Refusé par le ménage",
  not_retained: "Non retenu",
  closed: "Clos",
};

/**
 * Terminal statuses: nothing follows them, and the signalement stops being "open" (the duplicate rule and the
 * retention period count from there). A refusal by the household is not terminal: the bailleur may search again.
 */
export const TERMINAL_STATUSES: readonly SignalementStatus[] = ["lease_signed", "not_retained", "closed"];
export const isOpenStatus = (status: SignalementStatus) => !TERMINAL_STATUSES.includes(status);

/** Which status each event may follow. `sent` is only the creation; `closed` may follow any open status. */
const ALLOWED_FROM: Record<SignalementEventType, readonly SignalementStatus[]> = {
  sent: [],
  acknowledged: ["sent"],
  searching: ["acknowledged", "caleol_decision", "refused_by_household"],
  presented_caleol: ["acknowledged", "searching", "refused_by_household"],
  caleol_decision: ["presented_caleol"],
  lease_signed: ["caleol_decision"],
  refused_by_household: ["searching", "presented_caleol", "caleol_decision"],
  not_retained: ["acknowledged", "searching", "presented_caleol", "caleol_decision", "refused_by_household"],
  closed: SIGNALEMENT_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s)),
};

export const CLOSURE_REASONS = ["rehoused_elsewhere", "demand_cancelled", "withdrawn_by_commune"] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];
export const CLOSURE_REASON_LABELS: Record<ClosureReason, string> = {
  rehoused_elsewhere: "Relogé par ailleurs",
  demand_cancelled: "Demande radiée ou annulée",
  withdrawn_by_commune: "Retiré par la commune",
};

export const CALEOL_DECISIONS = [
  "attribution",
  "attribution_rang",
  "attribution_sous_condition",
  "non_attribution",
] as const;
export type CaleolDecision = (typeof CALEOL_DECISIONS)[number];
export const CALEOL_DECISION_LABELS: Record<CaleolDecision, string> = {
  attribution: "Attribution",
  attribution_rang: "Attribution par classement (rang)",
  attribution_sous_condition: "Attribution sous condition suspensive",
  non_attribution: "Non-attribution",
};

/** Which side records an event: the addressed bailleur follows up; the commune withdraws or closes. */
export type Party = "commune" | "bailleur";

const BAILLEUR_EVENTS: readonly SignalementEventType[] = [
  "acknowledged",
  "searching",
  "presented_caleol",
  "caleol_decision",
  "lease_signed",
  "refused_by_household",
  "not_retained",
  "closed",
];
const COMMUNE_EVENTS: readonly SignalementEventType[] = ["closed"];

/** The events a party may record on a signalement in this status (for the buttons of the detail page). */
export function eventsAllowed(status: SignalementStatus, party: Party): SignalementEventType[] {
  const mine = party === "bailleur" ? BAILLEUR_EVENTS : COMMUNE_EVENTS;
  return mine.filter((type) => ALLOWED_FROM[type].includes(status));
}

/** Details each event carries (validated before the transition). */
export type EventDetails = {
  note?: string;
  caleolDate?: string;
  flatCommune?: string;
  flatTypology?: Typology;
  decision?: CaleolDecision;
  signedOn?: string;
  reason?: string;
  closure?: ClosureReason;
  /** « Bail signé »: the attribution recorded (or found) with it. */
  attributionId?: string;
};

/**
 * French reasons why the details of an event are incomplete (empty when they are fine). A step is recorded once it
 * happened: its date may not be after `today` (the Paris day, yyyy-MM-dd).
 */
export function eventDetailsErrors(
  type: SignalementEventType,
  d: EventDetails,
  party: Party,
  today: string,
): string[] {
  const errors: string[] = [];
  const future = (day: string | undefined, what: string) => {
    if (day && isIsoDay(day) && day > today)
      errors.push(`${what} (${day}) est dans le futur : saisissez cette étape une fois qu'elle a eu lieu.`);
  };
  if (type === "presented_caleol") {
    if (!isIsoDay(d.caleolDate)) errors.push("Indiquez la date de la CALEOL (AAAA-MM-JJ).");
    future(d.caleolDate, "La date de la CALEOL");
    if (!d.flatCommune || !INSEE_CODE_PATTERN.test(d.flatCommune))
      errors.push("Indiquez la commune du logement (code INSEE à 5 caractères).");
    if (!d.flatTypology || !TYPOLOGIES.includes(d.flatTypology))
      errors.push("Indiquez la typologie du logement (T1 à T6).");
  }
  if (type === "caleol_decision" && (!d.decision || !CALEOL_DECISIONS.includes(d.decision)))
    errors.push(
      "Indiquez la décision de la CALEOL : attribution, attribution par classement, sous condition ou non-attribution.",
    );
  if (type === "lease_signed") {
    if (!isIsoDay(d.signedOn)) errors.push("Indiquez la date de signature du bail (AAAA-MM-JJ).");
    future(d.signedOn, "La date de signature du bail");
  }
  if ((type === "refused_by_household" || type === "not_retained") && !d.reason?.trim())
    errors.push(
      type === "refused_by_household"
        ? "Indiquez le motif du refus du ménage."
        : "Indiquez pourquoi la demande n'est pas retenue.",
    );
  if (type === "closed") {
    if (!d.closure || !CLOSURE_REASONS.includes(d.closure))
      errors.push(
        "Indiquez le motif de clôture : relogé par ailleurs, demande radiée ou retrait par la commune.",
      );
    else if (d.closure === "withdrawn_by_commune" && party !== "commune")
      errors.push("Seule la commune peut retirer son signalement.");
  }
  return errors;
}

/**
 * Whether `party` may record `type` on a signalement in `status`: null when allowed, else a French reason.
 * The status checks come first so that the message says what the user can still do.
 */
export function transitionError(
  status: SignalementStatus,
  type: SignalementEventType,
  party: Party,
): string | null {
  if (type === "sent") return "Un signalement n'est envoyé qu'une fois, à sa création.";
  if (!isOpenStatus(status))
    return `Ce signalement est terminé (${STATUS_LABELS[status].toLowerCase()}) : aucune étape ne peut plus y être ajoutée.`;
  const mine = party === "bailleur" ? BAILLEUR_EVENTS : COMMUNE_EVENTS;
  if (!mine.includes(type))
    return party === "commune"
      ? "La commune ne peut que clore ou retirer son signalement ; les étapes du suivi sont saisies par le bailleur."
      : "Cette étape n'est pas saisie par le bailleur.";
  if (!ALLOWED_FROM[type].includes(status)) {
    const next = eventsAllowed(status, party).map((t) => `« ${STATUS_LABELS[t]} »`);
    return (
      `Passage impossible de « ${STATUS_LABELS[status]} » à « ${STATUS_LABELS[type]} ».` +
      (next.length ? ` Étapes possibles : ${next.join(", ")}.` : "")
    );
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Boards
// ---------------------------------------------------------------------------------------------------------------

/** Days without acknowledgement after which a sent signalement is flagged (env `SIGNALEMENT_ACK_ALERT_DAYS`). */
export const DEFAULT_ACK_ALERT_DAYS = 15;
/** Months after closing before a signalement is anonymised (env `SIGNALEMENT_RETENTION_MONTHS`). */
export const DEFAULT_RETENTION_MONTHS = 24;

const DAY_MS = 24 * 3600_000;

/** Whole days since `from`. */
export const ageInDays = (from: Date, now: Date) =>
  Math.max(0, Math.floor((now.getTime() - from.getTime()) / DAY_MS));

/** Flagged when still waiting for an acknowledgement `alertDays` days or more after sending. */
export const isAwaitingAcknowledgementTooLong = (
  status: SignalementStatus,
  sentAt: Date,
  now: Date,
  alertDays = DEFAULT_ACK_ALERT_DAYS,
) => status === "sent" && ageInDays(sentAt, now) >= alertDays;

/** The median of whole numbers (rounded down to a whole day), null for an empty list. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.floor((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** A positive whole number from the environment, or the default. */
export function positiveIntFromEnv(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
