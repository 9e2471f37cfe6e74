import { describe, expect, it } from "vitest";
import {
  acceptedOn,
  avenantDeadline,
  DEADLINE_NOT_EXTENDED,
  deadlineEnd,
  deadlineSentence,
  frenchDay,
  isWithinDeadline,
} from "~/domain/deadline";

/** Sent at (UTC instant) → last day to answer (Paris calendar) and the instant the period is over (UTC). */
const TABLE: Array<[sentAt: string, lastDay: string, endsAt: string, why: string]> = [
  [
    "2026-03-02T09:00:00Z",
    "2026-05-02",
    "2026-05-02T22:00:00.000Z",
    "same day-number, summer time at the end",
  ],
  ["2025-12-31T10:00:00Z", "2026-02-28", "2026-02-28T23:00:00.000Z", "31 December → 28 February"],
  [
    "2027-12-31T10:00:00Z",
    "2028-02-29",
    "2028-02-29T23:00:00.000Z",
    "31 December → 29 February in a leap year",
  ],
  ["2026-12-30T10:00:00Z", "2027-02-28", "2027-02-28T23:00:00.000Z", "30 December → 28 February"],
  [
    "2026-08-31T10:00:00Z",
    "2026-10-31",
    "2026-10-31T23:00:00.000Z",
    "31 August → 31 October (back to winter time)",
  ],
  ["2026-07-31T10:00:00Z", "2026-09-30", "2026-09-30T22:00:00.000Z", "31 July → 30 September"],
  [
    "2026-01-28T12:00:00Z",
    "2026-03-28",
    "2026-03-28T23:00:00.000Z",
    "ends the night before the spring clock change",
  ],
  [
    "2026-01-29T12:00:00Z",
    "2026-03-29",
    "2026-03-29T22:00:00.000Z",
    "ends on the day of the spring clock change",
  ],
  [
    "2026-08-25T12:00:00Z",
    "2026-10-25",
    "2026-10-25T23:00:00.000Z",
    "ends on the day of the autumn clock change",
  ],
  [
    "2026-02-28T23:30:00Z",
    "2026-05-01",
    "2026-05-01T22:00:00.000Z",
    "sent at 00:30 on 1 March in Paris: Paris's day counts",
  ],
  ["2026-03-31T21:59:00Z", "2026-05-31", "2026-05-31T22:00:00.000Z", "sent at 23:59 Paris on 31 March"],
];

describe("avenantDeadline (two months after sending, end of day in Paris)", () => {
  it.each(TABLE)("sent %s → last day %s", (sentAt, lastDay, endsAt) => {
    const deadline = avenantDeadline(new Date(sentAt));
    expect(deadline.lastDay).toBe(lastDay);
    expect(deadline.endsAt.toISOString()).toBe(endsAt);
  });

  it("lets the bailleur answer until the last millisecond of the last day, not after", () => {
    const sentAt = new Date("2025-12-31T10:00:00Z");
    expect(isWithinDeadline(sentAt, new Date("2026-02-28T22:59:59.999Z"))).toBe(true);
    expect(isWithinDeadline(sentAt, new Date("2026-02-28T23:00:00.000Z"))).toBe(false);
  });
});

describe("the deadline on the letter", () => {
  it("names a Saturday deadline's day, 24 h Paris time, and says it is not extended", () => {
    const { lastDay, endsAt } = avenantDeadline(new Date("2026-11-30T10:00:00Z"));
    expect(lastDay).toBe("2027-01-30");
    expect(endsAt.toISOString()).toBe("2027-01-30T23:00:00.000Z");
    expect(deadlineSentence(lastDay)).toBe(
      "délai expirant le samedi 30 janvier 2027 à 24 h (heure de Paris)",
    );
    expect(DEADLINE_NOT_EXTENDED).toMatch(/n'est pas prorogé .* samedi, un dimanche ou un jour férié/);
  });

  it("writes the first of the month « 1er », with and without the weekday", () => {
    expect(frenchDay(new Date("2027-02-01T00:30:00+01:00"))).toBe("1er février 2027");
    expect(deadlineEnd("2027-05-01")).toBe("samedi 1er mai 2027 à 24 h (heure de Paris)");
    expect(frenchDay(new Date("2027-02-11T12:00:00Z"), true)).toBe("jeudi 11 février 2027");
  });

  it("dates a tacit acceptance at the end of the last day, an explicit one at its instant", () => {
    expect(acceptedOn({ at: new Date("2027-01-30T23:00:00Z"), tacitLastDay: "2027-01-30" })).toBe(
      "le samedi 30 janvier 2027 à 24 h (heure de Paris)",
    );
    expect(acceptedOn({ at: new Date("2027-02-01T00:00:00Z"), tacitLastDay: null })).toBe(
      "le 1er février 2027 à 01:00",
    );
  });
});
