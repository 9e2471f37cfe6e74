import { and, count, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import {
  bilans,
  calendarFeeds,
  deliveryUpdateRequests,
  emailOutbox,
  programmeAllocations,
  programmes,
} from "#db/schema";
import { requireApiActor } from "~/lib/actor.server";
import { calendarOf, remindLateObligations } from "~/models/calendar.server";
import { createCalendarFeed } from "~/models/calendar-feeds.server";
import { periodFrom } from "~/models/deliveries-export.server";
import { loader as calendarLoader } from "~/routes/api.v1.calendar";
import { action as campaignAction, loader as campaignLoader } from "~/routes/api.v1.delivery-updates";
import { action as deliveryAnswerAction } from "~/routes/api.v1.delivery-updates.answer";
import { action as programmesAction, loader as programmesLoader } from "~/routes/api.v1.programmes";
import { loader as programmeLoader } from "~/routes/api.v1.programmes.$id";
import { action as declareAction } from "~/routes/api.v1.programmes.$id.declare";
import { action as recommendAction } from "~/routes/api.v1.programmes.$id.recommendations";
import { action as splitAction } from "~/routes/api.v1.programmes.$id.split";
import { loader as deliveriesLoader } from "~/routes/api.v1.programmes.deliveries";
import { loader as feedLoader } from "~/routes/calendrier.flux.$token";
import { type ApiCaller, apiCaller, callApi } from "./helpers/api";
import { organisation, requestWithBearer } from "./helpers/fixtures";

type Caller = ApiCaller;
const caller = apiCaller;
const call = (
  who: Caller,
  handler: (args: never) => Promise<Response>,
  path: string,
  options: { method?: string; body?: unknown; params?: Record<string, string> } = {},
) => callApi(who, handler, { path, ...options });

let vilogia: Caller;
let lmh: Caller;
let mel: Caller;
let etat: Caller;
let als: Caller;
let sicf: Caller;
let departement: Caller;
let lille: Caller;
let roubaix: Caller;
let programmeId: string;

const FLATS = [
  { typology: "T2", financing: "plus", pmr: true, count: 2 },
  { typology: "T4", financing: "plai", pmr: false, count: 3 },
  { typology: "T3", financing: "plus", pmr: false, count: 5 },
];
const declaration = (overrides: Record<string, unknown> = {}) => ({
  communeInsee: "59350",
  name: "Résidence des Tisserands",
  address: "12 rue des Tisserands, Lille",
  firstLettingDate: "2027-06-15",
  flats: FLATS,
  ...overrides,
});
const programmeCount = async () => (await db.select({ n: count() }).from(programmes))[0]!.n;

beforeAll(async () => {
  vilogia = await caller("vilogia", ["gestionnaire"]);
  lmh = await caller("lille-metropole-habitat", ["gestionnaire"]);
  mel = await caller("mel", ["gestionnaire"]);
  etat = await caller("etat", ["gestionnaire"]);
  als = await caller("action-logement", ["gestionnaire"]);
  sicf = await caller("sicf", ["gestionnaire"]);
  departement = await caller("departement-nord", ["gestionnaire"]);
  lille = await caller("commune-59350", ["gestionnaire"]);
  roubaix = await caller("commune-59512", ["gestionnaire"]);
});

describe("a bailleur declares a programme (004 art. 8)", () => {
  it("refuses a first letting in the past, or a commune outside the MEL, with nothing written", async () => {
    const past = await call(vilogia, programmesAction, "/programmes", {
      body: declaration({ firstLettingDate: "2020-01-01" }),
    });
    expect(past.status).toBe(400);
    expect(past.body.message).toContain("date de première mise en location est passée");
    const paris = await call(vilogia, programmesAction, "/programmes", {
      body: declaration({ communeInsee: "75056" }),
    });
    expect(paris.status).toBe(400);
    expect(paris.body.message).toContain("n'est pas une commune de la MEL");
    expect(await programmeCount()).toBe(0);
  });

  it("refuses a réservataire declaring a programme", async () => {
    expect((await call(etat, programmesAction, "/programmes", { body: declaration() })).status).toBe(403);
  });

  it("records it with a proposed split between the réservataires holding a contingent, and tells them", async () => {
    const created = await call(vilogia, programmesAction, "/programmes", { body: declaration() });
    expect(created.status).toBe(201);
    expect(created.body.lateDeclaration).toBe(false);
    programmeId = created.body.id as string;
    const detail = await call(vilogia, programmeLoader, `/programmes/${programmeId}`, {
      params: { id: programmeId },
    });
    expect(detail.body.status).toBe("declared");
    const proposed = detail.body.proposedSplit as Array<{
      reservataire: { slug: string } | null;
      count: number;
    }>;
    expect(proposed.reduce((s, a) => s + a.count, 0)).toBe(10);
    const receivers = new Set(proposed.map((a) => a.reservataire?.slug ?? "bailleur"));
    expect(receivers.has("sicf")).toBe(false);
    expect(receivers.has("departement-nord")).toBe(false);
    const mails = await db
      .select()
      .from(emailOutbox)
      .where(like(emailOutbox.subject, "Programme neuf de Vilogia%"));
    expect(mails.map((m) => m.to)).toContain(etat.email);
    expect(mails.map((m) => m.to)).not.toContain(sicf.email);
  });

  it("flags a programme declared less than three months before first letting", async () => {
    const late = await call(lmh, programmesAction, "/programmes", {
      body: declaration({ name: "Les Jardins", firstLettingDate: "2027-01-10", communeInsee: "59512" }),
    });
    expect(late.status).toBe(201);
    expect(late.body.lateDeclaration).toBe(true);
  });
});

describe("who sees a programme", () => {
  const names = async (who: Caller) =>
    ((await call(who, programmesLoader, "/programmes")).body as Array<{ name: string }>)
      .map((p) => p.name)
      .sort();

  it("shows it to the réservataires with a convention with the bailleur, its commune and the MEL only", async () => {
    expect(await names(vilogia)).toEqual(["Résidence des Tisserands"]);
    expect(await names(etat)).toEqual(["Les Jardins", "Résidence des Tisserands"]);
    expect(await names(als)).toEqual(["Les Jardins", "Résidence des Tisserands"]);
    expect(await names(mel)).toEqual(["Les Jardins", "Résidence des Tisserands"]);
    expect(await names(lille)).toEqual(["Résidence des Tisserands"]);
    expect(await names(roubaix)).toEqual(["Les Jardins"]);
    // No negotiated rate: the SICF and the Département hold no contingent on Vilogia or LMH.
    expect(await names(sicf)).toEqual([]);
    expect(await names(departement)).toEqual([]);
  });

  it("answers 404 to a réservataire without a convention and to another commune", async () => {
    for (const who of [sicf, roubaix, lmh])
      expect(
        (await call(who, programmeLoader, "/programmes/x", { params: { id: programmeId } })).status,
      ).toBe(404);
  });
});

describe("recommendations and the final split", () => {
  it("lets a réservataire concerned recommend; the bailleur reads every recommendation, another réservataire only its own", async () => {
    const answer = await call(etat, recommendAction, "/x", {
      body: { text: "Un T4 PLAI pour un ménage DALO." },
      params: { id: programmeId },
    });
    expect(answer.status).toBe(201);
    expect(
      (await call(sicf, recommendAction, "/x", { body: { text: "Nous aussi" }, params: { id: programmeId } }))
        .status,
    ).toBe(404);
    const forBailleur = await call(vilogia, programmeLoader, "/x", { params: { id: programmeId } });
    expect(forBailleur.body.recommendations).toHaveLength(1);
    const forAls = await call(als, programmeLoader, "/x", { params: { id: programmeId } });
    expect(forAls.body.recommendations).toHaveLength(0);
  });

  const allocations = (overrides: Array<Record<string, unknown>> = []) => [
    { reservataire: "etat", typology: "T2", financing: "plus", pmr: true, count: 1 },
    { reservataire: null, typology: "T2", financing: "plus", pmr: true, count: 1 },
    { reservataire: "mel", typology: "T4", financing: "plai", pmr: false, count: 3 },
    { reservataire: "action-logement", typology: "T3", financing: "plus", pmr: false, count: 5 },
    ...overrides,
  ];
  const put = (who: Caller, body: unknown) =>
    call(who, splitAction, "/x", { method: "PUT", body, params: { id: programmeId } });
  const allocationCount = async () =>
    (
      await db
        .select({ n: count() })
        .from(programmeAllocations)
        .where(eq(programmeAllocations.programmeId, programmeId))
    )[0]!.n;

  it("refuses a split that does not sum to the flats, with nothing changed", async () => {
    const wrong = await put(vilogia, {
      allocations: allocations([
        { reservataire: "etat", typology: "T3", financing: "plus", pmr: false, count: 1 },
      ]),
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain("la répartition en compte 6, le programme 5");
    expect(await allocationCount()).toBe(0);
  });

  it("refuses flats to a réservataire without a contingent on the bailleur", async () => {
    const sicfSplit = allocations().map((a, i) => (i === 3 ? { ...a, reservataire: "sicf" } : a));
    const refused = await put(vilogia, { allocations: sicfSplit });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain("sans contingent sur ce bailleur");
    expect(await allocationCount()).toBe(0);
  });

  it("records a correct split (only the bailleur), which everyone concerned then reads", async () => {
    expect((await put(etat, { allocations: allocations() })).status).toBe(403);
    const done = await put(vilogia, { allocations: allocations() });
    expect(done.status).toBe(200);
    const detail = await call(lille, programmeLoader, "/x", { params: { id: programmeId } });
    expect(detail.body.status).toBe("split_recorded");
    expect(detail.body.finalSplit).toHaveLength(4);
  });
});

describe("deliveries: semester view and the May / November campaign", () => {
  it("consolidates the MEL's deliveries by semester", async () => {
    const s1 = await call(mel, deliveriesLoader, "/programmes/deliveries?year=2027&half=1");
    expect(s1.body).toMatchObject({
      from: "2027-01-01",
      to: "2027-06-30",
      programmes: 2,
      flats: 20,
      byBailleur: { Vilogia: 10, "Lille Métropole Habitat": 10 },
    });
    const s2 = await call(mel, deliveriesLoader, "/programmes/deliveries?year=2027&half=2");
    expect(s2.body.flats).toBe(0);
    expect((await call(mel, deliveriesLoader, "/programmes/deliveries?year=abc")).status).toBe(400);
  });

  it("gives the whole year without half; the API refuses the old half=annee, naming the values it takes", async () => {
    const year = await call(mel, deliveriesLoader, "/programmes/deliveries?year=2027");
    expect(year.body).toMatchObject({ from: "2027-01-01", to: "2027-12-31", flats: 20 });
    const old = await call(mel, deliveriesLoader, "/programmes/deliveries?year=2027&half=annee");
    expect(old.status).toBe(400);
    expect((old.body.errors as Record<string, string>).half).toBe(
      "Semestre (half) : 1 ou 2 ; omettez-le pour l'année entière.",
    );
  });

  it("opens a page or export link written with the old half=annee on the whole year", () => {
    const url = (query: string) => new URL(`http://localhost/programmes/livraisons${query}`);
    expect(periodFrom(url("?year=2027&half=annee"))).toEqual({ year: 2027, half: null });
    expect(periodFrom(url("?year=2027&half="))).toEqual({ year: 2027, half: null });
    expect(periodFrom(url("?year=2027&half=2"))).toEqual({ year: 2027, half: 2 });
  });

  it("asks each bailleur once even when the campaign is sent twice, and tracks answers", async () => {
    const mailsBefore = (
      await db
        .select({ n: count() })
        .from(emailOutbox)
        .where(like(emailOutbox.subject, "Mise à jour de vos livraisons%"))
    )[0]!.n;
    const first = await call(mel, campaignAction, "/delivery-updates", { body: {} });
    expect(first.status).toBe(200);
    expect(first.body.campaign).toMatch(/^\d{4}-(may|november)$/);
    expect(first.body.asked).toBe(19);
    const mailsAfterFirst = (
      await db
        .select({ n: count() })
        .from(emailOutbox)
        .where(like(emailOutbox.subject, "Mise à jour de vos livraisons%"))
    )[0]!.n;
    expect(mailsAfterFirst - mailsBefore).toBeGreaterThanOrEqual(2);
    const second = await call(mel, campaignAction, "/delivery-updates", { body: {} });
    expect(second.body).toMatchObject({ asked: 0, alreadyAsked: 19 });
    const mailsAfterSecond = (
      await db
        .select({ n: count() })
        .from(emailOutbox)
        .where(like(emailOutbox.subject, "Mise à jour de vos livraisons%"))
    )[0]!.n;
    expect(mailsAfterSecond).toBe(mailsAfterFirst);
    expect((await db.select({ n: count() }).from(deliveryUpdateRequests))[0]!.n).toBe(19);
    expect((await call(vilogia, campaignAction, "/delivery-updates", { body: {} })).status).toBe(403);

    expect((await call(vilogia, deliveryAnswerAction, "/delivery-updates/answer", { body: {} })).status).toBe(
      200,
    );
    expect((await call(vilogia, deliveryAnswerAction, "/delivery-updates/answer", { body: {} })).status).toBe(
      409,
    );
    const followUp = await call(mel, campaignLoader, "/delivery-updates");
    const answered = (
      followUp.body.requests as Array<{ bailleurName: string; answeredAt: string | null }>
    ).filter((r) => r.answeredAt);
    expect(answered.map((r) => r.bailleurName)).toEqual(["Vilogia"]);
  });
});

describe("calendar of obligations", () => {
  it("lists each kind the bailleur owes with its status", async () => {
    const calendar = await call(vilogia, calendarLoader, "/calendar");
    expect(calendar.status).toBe(200);
    const items = calendar.body as Array<{ kind: string; dueAt: string; status: string; subject: string }>;
    const kinds = new Set(items.map((i) => i.kind));
    expect(kinds).toEqual(new Set(["forecast", "deliveries_update", "programme_declaration", "bilan"]));
    const november = items.find((i) => i.kind === "deliveries_update" && i.subject.includes("novembre"));
    expect(november?.status).toBe("done");
    const declarationItem = items.find((i) => i.kind === "programme_declaration");
    expect(declarationItem?.status).toBe("done");
  });

  it("owes each réservataire holding a contingent the bilan of the year before, late from 28 February", async () => {
    const vilogiaOrg = await organisation("vilogia");
    const etat = await organisation("etat");
    const vilogiaActor = await requireApiActor(requestWithBearer(vilogia.token, "/"));
    const bilanOf = async (now: Date) =>
      (await calendarOf(vilogiaActor, now)).filter((i) => i.kind === "bilan");
    const february = await bilanOf(new Date("2027-02-27T12:00:00Z"));
    // État, MEL and ALS hold a contingent on Vilogia (SICF and Département do not).
    expect(february).toHaveLength(3);
    expect(february.every((i) => i.status === "due" && i.subject.includes("2026"))).toBe(true);
    await db.insert(bilans).values({
      bailleurId: vilogiaOrg.id,
      reservataireId: etat.id,
      year: 2026,
      figures: {},
      sentAt: new Date("2027-02-27T13:00:00Z"),
    });
    const march = await bilanOf(new Date("2027-03-01T12:00:00Z"));
    expect(march.filter((i) => i.status === "done").map((i) => i.subject)).toEqual([
      `Transmettre le bilan des attributions 2026 à ${etat.name}`,
    ]);
    expect(march.filter((i) => i.status === "late")).toHaveLength(2);
  });

  it("warns the MEL when no comité is planned in the year", async () => {
    const melActor = await requireApiActor(requestWithBearer(mel.token, "/"));
    const items = await calendarOf(melActor, new Date("2026-12-31T12:00:00Z"));
    expect(items.find((i) => i.kind === "comite")?.status).toBe("due");
    const next = await calendarOf(melActor, new Date("2027-01-01T12:00:00Z"));
    expect(next.find((i) => i.kind === "comite")?.dueAt.toISOString()).toBe("2027-12-31T23:00:00.000Z");
  });

  it("reminds each late obligation once per member (job run twice)", async () => {
    const now = new Date("2027-02-02T08:00:00Z");
    const lateMails = async () =>
      (
        await db
          .select({ n: count() })
          .from(emailOutbox)
          .where(and(like(emailOutbox.subject, "En retard :%"), eq(emailOutbox.to, vilogia.email)))
      )[0]!.n;
    await remindLateObligations(now);
    const once = await lateMails();
    expect(once).toBeGreaterThanOrEqual(1);
    await Promise.all([remindLateObligations(now), remindLateObligations(now)]);
    expect(await lateMails()).toBe(once);
  });

  it("serves an iCalendar feed on a secret URL stored hashed, 404 for any other", async () => {
    const actor = await requireApiActor(requestWithBearer(vilogia.token), {});
    const token = await createCalendarFeed(actor);
    const [stored] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, vilogia.id));
    expect(stored!.tokenHash).not.toContain(token);
    const response = await feedLoader({
      request: new Request(`http://x/calendrier/flux/${token}.ics`),
      params: { token: `${token}.ics` },
      context: {},
    } as never);
    expect(response.headers.get("content-type")).toContain("text/calendar");
    const text = await response.text();
    expect(text).toContain("BEGIN:VEVENT\r\n");
    expect(text).toContain("@portail-flux-mel\r\n");
    await expect(
      feedLoader({ request: new Request("http://x/"), params: { token: "cal_nope" }, context: {} } as never),
    ).rejects.toMatchObject({ status: 404 });
    // A new URL replaces the old one.
    await createCalendarFeed(actor);
    await expect(
      feedLoader({ request: new Request("http://x/"), params: { token }, context: {} } as never),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("national scale: the list in pages, the deliveries summed by the database", () => {
  /** GET /api/v1/programmes as `who`, following the Link header from page to page. */
  async function allPages(who: Caller, first = "/api/v1/programmes") {
    const pages: Array<Array<{ id: string; firstLettingDate: string; bailleurName: string }>> = [];
    for (let path: string | undefined = first; path; ) {
      const response = await programmesLoader({
        request: requestWithBearer(who.token, path),
        params: {},
        context: {},
      } as never);
      expect(response.status).toBe(200);
      pages.push(await response.json());
      path = /^<([^>]+)>; rel="next"$/.exec(response.headers.get("link") ?? "")?.[1];
    }
    return pages;
  }

  it("pages the programmes 50 at a time by first letting date, each once, the cursor in the Link header", async () => {
    const vilogiaOrg = await organisation("vilogia");
    await db.insert(programmes).values(
      Array.from({ length: 110 }, (_, i) => ({
        bailleurId: vilogiaOrg.id,
        communeInsee: "59350",
        // Some on the same day: the name, then the id, order them.
        name: `Programme ${String(i % 7).padStart(3, "0")}`,
        address: `${i} rue du Test`,
        firstLettingDate: `2031-0${1 + (i % 9)}-1${i % 3}`,
        status: "declared" as const,
      })),
    );
    const total = await programmeCount();
    const pages = await allPages(mel);
    expect(pages.slice(0, -1).every((page) => page.length === 50)).toBe(true);
    const listed = pages.flat();
    expect(listed).toHaveLength(total);
    expect(new Set(listed.map((p) => p.id)).size).toBe(total);
    const dates = listed.map((p) => p.firstLettingDate);
    expect(dates).toEqual([...dates].sort());
    // A bailleur pages through its own only.
    const own = (await allPages(vilogia)).flat();
    expect(own.length).toBeGreaterThanOrEqual(110);
    expect(own.every((p) => p.bailleurName === "Vilogia")).toBe(true);
    // A cursor that is no programme starts again from the first page, never a 500.
    expect((await allPages(mel, "/api/v1/programmes?after=n-importe-quoi"))[0]).toEqual(pages[0]);
  });

  it("sums the same deliveries as the programmes listed, for every kind of reader", async () => {
    for (const who of [mel, vilogia, etat, lille, roubaix]) {
      const listed = (await allPages(who))
        .flat()
        .filter((p) => p.firstLettingDate >= "2031-01-01" && p.firstLettingDate <= "2031-06-30");
      const totals = await call(who, deliveriesLoader, "/programmes/deliveries?year=2031&half=1");
      expect(totals.status).toBe(200);
      expect(totals.body.programmes).toBe(listed.length);
    }
  });
});

describe("an announced programme", () => {
  it("is declared later by its bailleur, once", async () => {
    const announced = await call(vilogia, programmesAction, "/programmes", {
      body: declaration({ name: "Les Hauts de Flandre", firstLettingDate: "2032-09-01", announceOnly: true }),
    });
    expect(announced.status).toBe(201);
    const id = String(announced.body.id);
    const declare = () =>
      call(vilogia, declareAction, `/programmes/${id}/declare`, { method: "POST", params: { id } });
    const declared = await declare();
    expect(declared.status).toBe(200);
    expect(declared.body).toEqual({ lateDeclaration: false });
    expect(
      (await call(vilogia, programmeLoader, `/programmes/${id}`, { params: { id } })).body,
    ).toMatchObject({
      status: "declared",
    });
    expect((await declare()).status).toBe(409);
  });
});
