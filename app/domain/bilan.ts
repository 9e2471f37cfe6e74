import { TZDate } from "@date-fns/tz";
import { PARIS, parisDay, parisYear } from "~/lib/dates";
import {
  CONSTRUCTION_PERIOD_LABELS,
  type ConstructionPeriod,
  FINANCING_LABELS,
  type Financing,
  TYPOLOGY_LABELS,
  type Typology,
} from "./housing";
import { publicClassLabel } from "./publics";

/**
 * The bilan annuel of the decree of 20 February 2020 (004 Titre 5, l. 444–448): "Avant le 28 février de chaque
 * année, l'organisme bailleur transmet à l'ensemble des réservataires un bilan annuel des logements proposés, ainsi
 * que des logements attribués au cours de l'année précédente, par réservataire et par typologie de logement, type de
 * financement, localisation hors et en quartier politique de la ville, commune et période de construction".
 * Pure rules: which year is due, until when, which February reminders are due.
 */

export const BILAN_DIMENSIONS = [
  { key: "typology", label: "Typologie" },
  { key: "financing", label: "Financement" },
  { key: "qpv", label: "Localisation (QPV)" },
  { key: "commune", label: "Commune" },
  { key: "constructionPeriod", label: "Période de construction" },
  // The one classification of publics (app/domain/publics.ts), the same as every other report's.
  { key: "publicClass", label: "Public" },
] as const;
export type BilanDimension = (typeof BILAN_DIMENSIONS)[number]["key"];

/**
 * The figures of one bilan (frozen when sent): flats attributed on the réservataire's contingent, split by each
 * dimension (a bilan sent before the « Public » dimension existed has none: read `by[key] ?? []`).
 */
export type BilanFigures = {
  total: number;
  by: Partial<Record<BilanDimension, Array<{ key: string; label: string; count: number }>>>;
};

/** The label of one value of a dimension (a commune's label is its name, given by the caller). */
export function bilanValueLabel(dimension: BilanDimension, key: string, communeName?: string): string {
  if (dimension === "typology") return TYPOLOGY_LABELS[key as Typology] ?? key;
  if (dimension === "financing") return FINANCING_LABELS[key as Financing] ?? key;
  if (dimension === "qpv") return key === "true" ? "En QPV" : "Hors QPV";
  if (dimension === "constructionPeriod") return CONSTRUCTION_PERIOD_LABELS[key as ConstructionPeriod] ?? key;
  if (dimension === "publicClass") return publicClassLabel(key);
  return communeName ? `${communeName} (${key})` : key;
}

/** The year whose bilan is due at `now`: the previous calendar year (Paris). */
export const bilanYearDue = (now: Date) => parisYear(now) - 1;

/** The last day to send the bilan of `year`: "avant le 28 février" of the next year, i.e. 27 February. */
export const bilanLastDay = (year: number) => `${year + 1}-02-27`;

/**
 * Where a bilan stands for the board of its bailleur, its réservataire and the MEL: « avant le 28 février » (004
 * l. 447), so from 28 February (Paris) a bilan not sent is late, and one sent from then on was sent late; before the
 * year is over nothing is due.
 */
export const BILAN_STATUSES = ["not_due", "to_send", "late", "sent", "sent_late"] as const;
export type BilanStatus = (typeof BILAN_STATUSES)[number];
export const BILAN_STATUS_LABELS: Record<BilanStatus, string> = {
  not_due: "Année en cours",
  to_send: "À transmettre",
  late: "En retard",
  sent: "Transmis",
  sent_late: "Transmis en retard",
};

export function bilanStatus(year: number, sentAt: Date | null, now: Date): BilanStatus {
  const pastLastDay = (at: Date) => parisDay(at) > bilanLastDay(year);
  if (sentAt) return pastLastDay(sentAt) ? "sent_late" : "sent";
  if (year > bilanYearDue(now)) return "not_due";
  return pastLastDay(now) ? "late" : "to_send";
}

/** « Logements proposés » (decree 2020-145): declared by the bailleur when sending, a whole number. */
export function proposedError(proposed: unknown): string | null {
  return Number.isInteger(proposed) && (proposed as number) >= 0 && (proposed as number) <= 100_000
    ? null
    : "Indiquez le nombre de logements proposés au réservataire dans l'année : un nombre entier positif ou nul.";
}

/**
 * ASSUMPTION: the texts ask for the bilan "avant le 28 février" without reminders; the portal reminds the bailleurs
 * that have not sent every bilan on 1 and 20 February (Paris), each reminder once.
 */
export const BILAN_REMINDERS = [
  { kind: "february_1", day: 1 },
  { kind: "february_20", day: 20 },
] as const;

/** The reminders due at `now` for the year `bilanYearDue(now)`: in February, before the 28th, those already reached. */
export function bilanRemindersDue(now: Date): string[] {
  const paris = new TZDate(now, PARIS);
  if (paris.getMonth() !== 1 || paris.getDate() >= 28) return [];
  return BILAN_REMINDERS.filter((r) => paris.getDate() >= r.day).map((r) => r.kind);
}

/**
 * The MEL's yearly bilan to the CIL (004 l. 449–459) files attributions by the one classification of publics
 * (`PUBLIC_CLASSES`, app/domain/publics.ts), crossed with income quartiles, contingent, bailleur, commune, QPV.
 * Loi Égalité et Citoyenneté (CCH L. 441-1): at least 25 % of the attributions outside QPV go to first-quartile
 * households; shown beside the quartile × QPV figures.
 */
export const FIRST_QUARTILE_OUTSIDE_QPV_TARGET = 0.25;
