import { TZDate, tz } from "@date-fns/tz";
import { format } from "date-fns";
import { fr } from "date-fns/locale";

/** Times are stored in UTC and always shown in Europe/Paris (DESIGN §3). */
export const PARIS = "Europe/Paris";

/** date-fns' context for Paris, made once: a board formats hundreds of dates per page. */
const inParis = tz(PARIS);

/** The first day of a month is an ordinal in French: « le 1er février », never « le 1 février ». */
const FIRST_OF_MONTH = /(^|\s)1 (?=janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)/g;

/**
 * Texts already made, by pattern and instant: each costs a few time-zone lookups (tens of microseconds), and a
 * page repeats the same instants (a bailleur's calendar: every bilan of the year, the programmes of a day).
 * Bounded: emptied when full.
 */
const formatted = new Map<string, string>();
const FORMATTED_MAX = 10_000;

export function formatParis(date: Date | string, pattern = "d MMMM yyyy 'à' HH:mm"): string {
  const instant = new Date(date);
  const key = `${instant.getTime()} ${pattern}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = format(instant, pattern, { locale: fr, in: inParis }).replace(FIRST_OF_MONTH, "$11er ");
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

/**
 * A calendar day (YYYY-MM-DD) as an instant inside it: noon UTC is that day in any time zone within 12 hours of UTC,
 * Paris in winter (UTC+1) as in summer (UTC+2), so the day formats as itself.
 */
export const noonUtcOf = (isoDay: string) => new Date(`${isoDay}T12:00:00Z`);

/** A calendar day (YYYY-MM-DD, a date column) in French: « 1er mars 2027 » by default. */
export const formatDay = (isoDay: string, pattern = "d MMMM yyyy") => formatParis(noonUtcOf(isoDay), pattern);

/** The day in Paris (YYYY-MM-DD) at `now`: the day dates entered by users are compared with. */
export const parisDay = (now = new Date()) => formatParis(now, "yyyy-MM-dd");

/**
 * The calendar year in Paris at `now` (on 31 December at 23:30 UTC it is already next year there). Not through
 * `formatParis`: each call is a new instant, which would only fill its cache.
 */
export const parisYear = (now = new Date()) => new TZDate(now, PARIS).getFullYear();

const ISO_DAY = /^(\d{4})-\d{2}-\d{2}$/;

/**
 * Whether a value is a day that exists, written YYYY-MM-DD: 2026-02-30, 2025-13-01 and year 0000 are not, and the
 * database would refuse them with an error instead of a message.
 */
export function isIsoDay(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const match = ISO_DAY.exec(value);
  if (!match || match[1] === "0000") return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
