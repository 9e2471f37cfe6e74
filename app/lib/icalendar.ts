/**
 * A minimal iCalendar (RFC 5545) writer for the obligations feed: all-day events (timed when a start is given),
 * CRLF line ends, TEXT escaping
 * (§3.3.11), lines folded at 75 octets (§3.1), a stable UID per obligation and a DTSTAMP (§3.8.7.2).
 */
import { TZDate } from "@date-fns/tz";
import { addDays, format } from "date-fns";
import { PARIS } from "./dates";
import { singleLine } from "./single-line";

export type CalendarEvent = {
  uid: string;
  /** The last day (Paris) of the obligation: the event covers that whole day. */
  day: Date;
  /** A meeting's start: the event then runs from it for MEETING_HOURS, in UTC (§3.3.5 form 2). */
  startsAt?: Date;
  summary: string;
  description: string;
  url?: string;
};

/** Escapes a TEXT value (backslash, semicolon, comma), on one line: no CR or LF of a name reaches the feed. */
export function escapeText(value: string): string {
  return singleLine(value).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,");
}

/** Folds a content line into chunks of at most 75 octets (UTF-8), never splitting a character. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // Continuation lines start with a space, which counts in their 75 octets.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

/** ASSUMPTION: a comité meeting is given two hours in the agendas (the texts give no length). */
const MEETING_HOURS = 2;

const utcStamp = (date: Date) => `${date.toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
const parisDate = (date: Date) => format(new TZDate(date, PARIS), "yyyyMMdd");

export function toICalendar(events: CalendarEvent[], options: { name: string; now: Date }): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Metropole Europeenne de Lille//Portail flux contingents//FR",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(options.name)}`,
    "X-WR-TIMEZONE:Europe/Paris",
  ];
  for (const event of events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeText(event.uid)}`,
      `DTSTAMP:${utcStamp(options.now)}`,
      ...(event.startsAt
        ? [
            `DTSTART:${utcStamp(event.startsAt)}`,
            `DTEND:${utcStamp(new Date(event.startsAt.getTime() + MEETING_HOURS * 3_600_000))}`,
          ]
        : [
            `DTSTART;VALUE=DATE:${parisDate(event.day)}`,
            `DTEND;VALUE=DATE:${parisDate(addDays(new TZDate(event.day, PARIS), 1))}`,
          ]),
      `SUMMARY:${escapeText(event.summary)}`,
      `DESCRIPTION:${escapeText(event.description)}`,
      ...(event.url ? [`URL:${event.url}`] : []),
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
