import { describe, expect, it } from "vitest";
import {
  assietteDueAt,
  bilanDueAt,
  comiteDueAt,
  currentDeliveryCampaign,
  deliveriesRequestDueAt,
  deliveriesUpdateDueAt,
  forecastDueAt,
  obligationStatus,
  obligationStatusText,
} from "~/domain/obligations";
import { declarationDueAt } from "~/domain/programme";
import { escapeText, foldLine, toICalendar } from "~/lib/icalendar";

const second = 1000;
/** The status of an obligation not done, one second before its deadline and at it; and once done. */
function around(dueAt: Date) {
  const open = { dueAt, doneAt: null };
  return [
    obligationStatus(open, new Date(dueAt.getTime() - second)),
    obligationStatus(open, dueAt),
    obligationStatus(
      { dueAt, doneAt: new Date(dueAt.getTime() - 5 * second) },
      new Date(dueAt.getTime() + 10 * second),
    ),
    // Done after the deadline: « Fait en retard », not « Fait » (issue 15).
    obligationStatus(
      { dueAt, doneAt: new Date(dueAt.getTime() + 5 * second) },
      new Date(dueAt.getTime() + 10 * second),
    ),
  ];
}

describe("calendar statuses around each deadline (Paris time)", () => {
  const table: Array<[string, Date, string]> = [
    ["forecast: January (004 l. 144)", forecastDueAt(2027), "2027-01-31T23:00:00.000Z"],
    ["assiette: end of February (004 l. 152)", assietteDueAt(2027), "2027-02-28T23:00:00.000Z"],
    ["bilan: before 28 February (004 l. 447)", bilanDueAt(2027), "2027-02-27T23:00:00.000Z"],
    ["deliveries request: May (004 l. 298)", deliveriesRequestDueAt(2027, "may"), "2027-05-31T22:00:00.000Z"],
    [
      "deliveries request: November (004 l. 298)",
      deliveriesRequestDueAt(2027, "november"),
      "2027-11-30T23:00:00.000Z",
    ],
    [
      "deliveries answer: the month after a request of 20 May",
      deliveriesUpdateDueAt(new Date("2027-05-20T08:00:00Z")),
      "2027-06-30T22:00:00.000Z",
    ],
    [
      "deliveries answer: the month after a request of 15 November",
      deliveriesUpdateDueAt(new Date("2027-11-15T08:00:00Z")),
      "2027-12-31T23:00:00.000Z",
    ],
    ["programme: 3 months before (004 l. 296)", declarationDueAt("2027-09-15"), "2027-06-15T22:00:00.000Z"],
    ["comité: once a year (004 l. 398)", comiteDueAt(2027), "2027-12-31T23:00:00.000Z"],
  ];
  it.each(table)("%s", (_why, dueAt, iso) => {
    expect(dueAt.toISOString()).toBe(iso);
    expect(around(dueAt)).toEqual(["due", "late", "done", "done_late"]);
  });

  it("says when a letter was tacitly accepted, and when a late obligation was done", () => {
    const dueAt = new Date("2027-05-01T22:00:00Z");
    const tacit = { dueAt, doneAt: dueAt, tacit: true };
    expect(obligationStatus(tacit, new Date("2027-06-01T00:00:00Z"))).toBe("tacitly_accepted");
    const day = (d: Date) => d.toISOString().slice(0, 10);
    expect(obligationStatusText({ status: "tacitly_accepted", doneAt: dueAt }, day)).toBe(
      "Accepté tacitement (le 2027-05-01)",
    );
    expect(obligationStatusText({ status: "done_late", doneAt: dueAt }, day)).toBe(
      "Fait en retard (le 2027-05-01)",
    );
    expect(obligationStatusText({ status: "done", doneAt: dueAt }, day)).toBe("Fait");
  });

  it("picks May's campaign until July and November's from August (Paris)", () => {
    expect(currentDeliveryCampaign(new Date("2027-07-31T21:59:59Z"))).toEqual({ year: 2027, month: "may" });
    expect(currentDeliveryCampaign(new Date("2027-07-31T22:00:00Z"))).toEqual({
      year: 2027,
      month: "november",
    });
  });
});

describe("iCalendar (RFC 5545)", () => {
  it("escapes TEXT and folds long lines at 75 octets", () => {
    expect(escapeText("a;b,c\\d")).toBe("a\\;b\\,c\\\\d");
    const folded = foldLine(`SUMMARY:${"é".repeat(60)}`);
    for (const line of folded.split("\r\n"))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(
      folded
        .split("\r\n")
        .map((l, i) => (i === 0 ? l : l.slice(1)))
        .join(""),
    ).toBe(`SUMMARY:${"é".repeat(60)}`);
  });

  it("writes all-day events with UID, DTSTAMP and CRLF line ends", () => {
    const text = toICalendar(
      [
        {
          uid: "forecast:x:2027@flux",
          day: new Date("2027-01-31T12:00:00Z"),
          summary: "Prévision, A à G",
          description: "À faire",
        },
      ],
      { name: "Obligations", now: new Date("2027-01-02T08:30:00Z") },
    );
    expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).toContain("\r\nUID:forecast:x:2027@flux\r\n");
    expect(text).toContain("\r\nDTSTAMP:20270102T083000Z\r\n");
    expect(text).toContain("\r\nDTSTART;VALUE=DATE:20270131\r\nDTEND;VALUE=DATE:20270201\r\n");
    expect(text).toContain("\r\nSUMMARY:Prévision\\, A à G\r\n");
  });
});
