import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { comiteInvitations, comites, deliveryUpdateRequests } from "#db/schema";
import type { Actor } from "~/lib/actor.server";
import { calendarOf } from "~/models/calendar.server";
import { calendarFeedText, createCalendarFeed } from "~/models/calendar-feeds.server";
import { actorOf, createUser, organisation } from "./helpers/fixtures";

/** Each obligation on the party that owes it (issue 15; 004 l. 298), meetings in the invited parties' calendars. */
type Org = Awaited<ReturnType<typeof organisation>>;
let mel: Org;
let vilogia: Org;
let lmh: Org;
const actors = new Map<string, Actor>();
/** The obligations of `kind` in the calendar an organisation's member reads. */
async function kinds(org: Org, now: Date, kind: string, year?: number) {
  const actor = actors.get(org.id) ?? (await actorOf(await createUser(org.slug, ["lecteur"])));
  actors.set(org.id, actor);
  return (await calendarOf(actor, now, year)).filter((i) => i.kind === kind);
}

beforeAll(async () => {
  mel = await organisation("mel");
  vilogia = await organisation("vilogia");
  lmh = await organisation("lille-metropole-habitat");
});

describe("the May and November deliveries update", () => {
  it("is the MEL's request to send, and a bailleur owes an answer only to a request sent", async () => {
    const june = new Date("2027-06-15T10:00:00Z");
    // Nothing asked yet: the MEL is late for May, Vilogia owes nothing (it was « En retard » before).
    expect((await kinds(mel, june, "deliveries_request")).map((i) => [i.key, i.status])).toEqual([
      ["deliveries-request:2027-may", "late"],
      ["deliveries-request:2027-november", "due"],
    ]);
    expect(await kinds(vilogia, june, "deliveries_update")).toEqual([]);
    // Each calendar is its own organisation's: the MEL's request is not in Vilogia's.
    expect(await kinds(vilogia, june, "deliveries_request")).toEqual([]);
    await db.insert(deliveryUpdateRequests).values({
      campaign: "2027-may",
      bailleurId: vilogia.id,
      requestedAt: new Date("2027-06-10T08:00:00Z"),
    });
    const [request] = await kinds(mel, june, "deliveries_request");
    expect(request).toMatchObject({ status: "done_late", doneAt: new Date("2027-06-10T08:00:00Z") });
    // Vilogia answers within the month after the request (by 31 July, Paris); LMH, never asked, owes nothing.
    const [answer] = await kinds(vilogia, june, "deliveries_update");
    expect(answer).toMatchObject({ status: "due", dueAt: new Date("2027-07-31T22:00:00Z") });
    expect(await kinds(lmh, june, "deliveries_update")).toEqual([]);
  });
});

describe("comité meetings", () => {
  it("are in each invited party's calendar at their day and time, not in others'", async () => {
    const [meeting] = await db
      .insert(comites)
      .values({
        heldOn: "2027-10-05",
        heldAt: new Date("2027-10-05T12:30:00Z"),
        place: "Hôtel de la Métropole",
        agenda: "Bilan",
      })
      .returning();
    await db.insert(comiteInvitations).values({ comiteId: meeting!.id, organisationId: vilogia.id });
    const now = new Date("2027-09-01T10:00:00Z");
    const [seen] = await kinds(vilogia, now, "comite_meeting");
    expect(seen).toMatchObject({ dueAt: new Date("2027-10-05T12:30:00Z"), status: "due" });
    expect(seen!.subject).toMatch(/à 14h30, Hôtel de la Métropole/);
    expect(await kinds(mel, now, "comite_meeting")).toHaveLength(1);
    expect(await kinds(lmh, now, "comite_meeting")).toEqual([]);
    // Any year can be shown: from 2028, 2027's meeting is still there when asked for.
    expect(await kinds(vilogia, new Date("2028-01-10T10:00:00Z"), "comite_meeting", 2027)).toHaveLength(1);
  });

  it("are timed events in the invited party's iCal feed, from the year before theirs", async () => {
    const [meeting] = await db
      .insert(comites)
      .values({
        heldOn: "2028-01-20",
        heldAt: new Date("2028-01-20T13:30:00Z"),
        place: "Hôtel de la Métropole",
        agenda: "Bilan 2027",
      })
      .returning();
    await db.insert(comiteInvitations).values({ comiteId: meeting!.id, organisationId: vilogia.id });
    const token = await createCalendarFeed(await actorOf(await createUser("vilogia", ["gestionnaire"])));
    // Convened in November 2027 for January 2028: in the feed at once, at 14:30 Paris for two hours.
    const feed = await calendarFeedText(token, new Date("2027-11-30T10:00:00Z"));
    const event = feed.split("BEGIN:VEVENT").find((e) => e.includes(`comite-meeting:${meeting!.id}`));
    expect(event).toContain("DTSTART:20280120T133000Z\r\n");
    expect(event).toContain("DTEND:20280120T153000Z\r\n");
    expect(event).toMatch(/SUMMARY:À faire — Comité de suivi des contingents à 14h30/);
  });
});
