import { eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { comiteInvitations, comites, emailOutbox } from "#db/schema";
import { enqueueMails } from "#emails/outbox.server";
import { calendarFeedText, createCalendarFeed } from "~/models/calendar-feeds.server";
import { action as programmesAction } from "~/routes/api.v1.programmes";
import { type ApiCaller, apiCaller, callApi } from "../helpers/api";
import { actorOf, createUser } from "../helpers/fixtures";

/**
 * A name typed by a user must not break a line where lines mean something: a mail subject (a CR LF there adds a
 * header such as BCC) or an iCalendar feed (a bare CR starts a property or an event of the attacker's choosing). Each
 * run of CR and LF is stored, or written, as one space.
 */
const hasLineBreak = (text: string) => /[\r\n]/.test(text);

let vilogia: ApiCaller;
beforeAll(async () => {
  vilogia = await apiCaller("vilogia", ["gestionnaire"]);
  // Réservataires on Vilogia, told of its programmes by mail.
  for (const slug of ["mel", "etat", "action-logement"]) await createUser(slug, ["gestionnaire"]);
});

describe("line breaks in names", () => {
  it("never reach a stored mail subject: a programme named with CR LF BCC is declared on one line", async () => {
    const { status } = await callApi(vilogia, programmesAction, {
      path: "/programmes",
      body: {
        communeInsee: "59350",
        name: "Les Tilleuls\r\nBCC: espion@evil.example\rX",
        address: "3 rue des Tilleuls, Lille",
        firstLettingDate: "2099-06-15",
        flats: [{ typology: "T2", financing: "plus", pmr: false, count: 4 }],
      },
    });
    expect(status).toBe(201);
    const subjects = await db
      .select({ subject: emailOutbox.subject })
      .from(emailOutbox)
      .where(like(emailOutbox.subject, "%Les Tilleuls%"));
    expect(subjects.length).toBeGreaterThan(0);
    for (const { subject } of subjects) expect(subject).toMatch(/Les Tilleuls BCC: espion@evil\.example X$/);
  });

  it("never reach a stored mail subject when mails are queued in bulk either", async () => {
    await enqueueMails(db, [
      { to: ["a@exemple.fr", "b@exemple.fr"], subject: "Relance\n\rBcc: c@evil.example", text: "" },
    ]);
    const rows = await db
      .select({ subject: emailOutbox.subject })
      .from(emailOutbox)
      .where(like(emailOutbox.subject, "Relance%"));
    expect(rows).toEqual([
      { subject: "Relance Bcc: c@evil.example" },
      { subject: "Relance Bcc: c@evil.example" },
    ]);
  });

  it("never reach the iCalendar feed: a comité's place holding a bare CR stays inside its event's summary", async () => {
    const [meeting] = await db
      .insert(comites)
      .values({
        heldOn: "2099-10-05",
        heldAt: new Date("2099-10-05T12:30:00Z"),
        place: "Salle 1\rBEGIN:VEVENT\r\nSUMMARY:Annulé",
        agenda: "Bilan",
      })
      .returning();
    await db
      .insert(comiteInvitations)
      .values({ comiteId: meeting!.id, organisationId: vilogia.organisationId });
    const reader = await actorOf(await createUser("vilogia", ["gestionnaire"]));
    const text = await calendarFeedText(await createCalendarFeed(reader), new Date("2099-09-01T10:00:00Z"));
    // Lines end with CR LF and nothing else breaks one (a folded line goes on with CR LF and a space).
    expect(hasLineBreak(text.replaceAll("\r\n", ""))).toBe(false);
    const unfolded = text.replaceAll("\r\n ", "").split("\r\n");
    expect(unfolded.filter((line) => line === "BEGIN:VEVENT").length).toBe(
      unfolded.filter((line) => line.startsWith("SUMMARY:")).length,
    );
    expect(unfolded.some((line) => line.includes("Salle 1 BEGIN:VEVENT SUMMARY:Annulé"))).toBe(true);
    expect(unfolded.some((line) => line.startsWith("SUMMARY:Annulé"))).toBe(false);
    await db.delete(comiteInvitations).where(eq(comiteInvitations.comiteId, meeting!.id));
  });
});
