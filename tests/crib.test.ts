import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditLog, cribAnswers, cribCases, cribReads, emailOutbox } from "#db/schema";
import { anonymiseClosedCribCases, getCribSession, remindCribBailleurs } from "~/models/crib.server";
import { action as answerAction } from "~/routes/api.v1.crib.cases.$id.answers";
import { action as followAction } from "~/routes/api.v1.crib.cases.$id.follow-up";
import { action as sessionsAction, loader as sessionsLoader } from "~/routes/api.v1.crib.sessions";
import { loader as sessionLoader } from "~/routes/api.v1.crib.sessions.$id";
import { action as casesAction } from "~/routes/api.v1.crib.sessions.$id.cases";
import { action as publishAction } from "~/routes/api.v1.crib.sessions.$id.publish";
import { action as remindAction } from "~/routes/api.v1.crib.sessions.$id.reminders";
import { type Caller, caller } from "./helpers/clients";
import { actorOf, BASE_URL, requestWithBearer } from "./helpers/fixtures";

let mel: Caller;
let urh: Caller;
let vilogia: Caller;
let vilogiaLecteur: Caller;
let lmh: Caller;
let commune: Caller;

async function call(
  who: Caller,
  handler: (args: never) => Promise<Response>,
  path: string,
  body?: unknown,
  params: Record<string, string> = {},
) {
  const init: RequestInit =
    body === undefined
      ? {}
      : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } };
  const response = await handler({
    request: requestWithBearer(who.token, `/api/v1${path}`, init),
    params,
    context: {},
  } as never);
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { message?: string },
  };
}

type Session = {
  cases: Array<{
    id: string;
    status: string;
    pilotName: string | null;
    answers: Array<{ bailleurName: string; hasSolution: boolean; flatCommune: string | null }>;
  }>;
};

let sessionId: string;
let caseId: string;

beforeAll(async () => {
  mel = await caller("mel", ["gestionnaire"]);
  urh = await caller("urh", ["gestionnaire"]);
  vilogia = await caller("vilogia", ["gestionnaire"]);
  vilogiaLecteur = await caller("vilogia", ["lecteur"]);
  lmh = await caller("lille-metropole-habitat", ["admin"]);
  commune = await caller("commune-59350", ["admin"]);
});

describe("CRIB list", () => {
  it("lets the MEL open a session and list its cases, refusing bad input", async () => {
    const created = await call(mel, sessionsAction, "/crib/sessions", { heldOn: "2026-03-05" });
    expect(created.status).toBe(201);
    sessionId = created.body.id as string;
    expect((await call(mel, sessionsAction, "/crib/sessions", { heldOn: "2026-03-05" })).status).toBe(409);
    expect((await call(urh, sessionsAction, "/crib/sessions", { heldOn: "2026-04-05" })).status).toBe(403);

    const add = (who: Caller, body: unknown) =>
      call(who, casesAction, `/crib/sessions/${sessionId}/cases`, body, { id: sessionId });
    const good = {
      numeroUnique: "059 2301 00500 M",
      originBailleurSlug: "vilogia",
      typology: "T5",
      communesWanted: ["59350"],
    };
    const bad = await add(mel, { ...good, numeroUnique: "abc" });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Record<string, string>).numeroUnique).toMatch(/code du département/);
    const unknown = await add(mel, { ...good, originBailleurSlug: "mel" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe("Bailleur inconnu : mel.");
    const notMel = await add(mel, { ...good, communesWanted: ["59350", "12345"] });
    expect(notMel.status).toBe(400);
    expect((notMel.body.errors as Record<string, string>).communesWanted).toMatch(
      /^Communes souhaitées : « 12345 » n'est le code INSEE d'aucune commune de la MEL/,
    );
    const ok = await add(mel, good);
    expect(ok.status).toBe(201);
    caseId = ok.body.id as string;
    expect((await add(mel, good)).status).toBe(409);
    expect((await add(urh, { ...good, numeroUnique: "059 2301 00501 M" })).status).toBe(403);
    const [n] = await db.select({ n: count() }).from(cribCases);
    expect(Number(n!.n)).toBe(1);
  });

  it("keeps an unpublished list to the MEL, and never shows it to a commune", async () => {
    for (const who of [urh, vilogia]) {
      expect(
        (await call(who, sessionLoader, `/crib/sessions/${sessionId}`, undefined, { id: sessionId })).status,
      ).toBe(404);
      expect((await call(who, sessionsLoader, "/crib/sessions")).body).toEqual([]);
      expect(
        (
          await call(
            who,
            answerAction,
            `/crib/cases/${caseId}/answers`,
            { hasSolution: false },
            { id: caseId },
          )
        ).status,
      ).toBe(404);
    }
    expect((await call(commune, sessionsLoader, "/crib/sessions")).status).toBe(403);
  });

  it("publishes to the URH and the bailleurs, who answer; the URH sees all answers, a bailleur its own", async () => {
    const published = await call(
      mel,
      publishAction,
      `/crib/sessions/${sessionId}/publish`,
      {},
      { id: sessionId },
    );
    expect(published.status).toBe(200);
    expect(
      (await call(mel, publishAction, `/crib/sessions/${sessionId}/publish`, {}, { id: sessionId })).status,
    ).toBe(409);
    const mails = await db.select().from(emailOutbox);
    for (const who of [urh, vilogia, lmh])
      expect(mails.filter((m) => m.to === who.email).map((m) => m.subject)).toEqual([
        "Liste de la CRIB du 5 mars 2026 publiée",
      ]);
    expect(mails.some((m) => m.to === commune.email)).toBe(false);

    const answer = (who: Caller, body: unknown) =>
      call(who, answerAction, `/crib/cases/${caseId}/answers`, body, { id: caseId });
    const incomplete = await answer(vilogia, { hasSolution: true });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.message).toMatch(/commune du logement proposé/);
    const notMel = await answer(vilogia, { hasSolution: true, flatCommune: "12345", flatTypology: "T5" });
    expect(notMel.status).toBe(400);
    expect((notMel.body.errors as Record<string, string>).flatCommune).toMatch(
      /^Commune du logement proposé : « 12345 » n'est le code INSEE/,
    );
    expect(
      (await answer(vilogia, { hasSolution: true, flatCommune: "59350", flatTypology: "T5" })).status,
    ).toBe(200);
    expect((await answer(lmh, { hasSolution: false })).status).toBe(200);
    expect((await answer(vilogiaLecteur, { hasSolution: false })).status).toBe(403);
    expect((await answer(commune, { hasSolution: false })).status).toBe(404);
    expect((await answer(urh, { hasSolution: false })).status).toBe(403);

    const seenBy = async (who: Caller) =>
      (
        (await call(who, sessionLoader, `/crib/sessions/${sessionId}`, undefined, { id: sessionId }))
          .body as unknown as Session
      ).cases[0]!.answers.map((a) => [a.bailleurName, a.hasSolution]);
    expect(await seenBy(urh)).toEqual([
      ["Lille Métropole Habitat", false],
      ["Vilogia", true],
    ]);
    expect(await seenBy(vilogia)).toEqual([["Vilogia", true]]);
    expect(await seenBy(lmh)).toEqual([["Lille Métropole Habitat", false]]);
  });

  it("lets the URH designate a pilot bailleur and follow the case until it is rehoused", async () => {
    const follow = (who: Caller, body: unknown) =>
      call(who, followAction, `/crib/cases/${caseId}/follow-up`, body, { id: caseId });
    expect((await follow(urh, { pilotBailleurSlug: "inconnu" })).status).toBe(400);
    expect((await follow(vilogia, { pilotBailleurSlug: "vilogia" })).status).toBe(403);
    expect((await follow(urh, { pilotBailleurSlug: "vilogia" })).status).toBe(200);
    expect(
      (await db.select().from(emailOutbox).where(eq(emailOutbox.to, vilogia.email))).map((m) => m.subject),
    ).toContain("CRIB : vous êtes bailleur pilote d'un cas");
    expect((await follow(urh, { status: "rehoused" })).status).toBe(200);
    const again = await follow(urh, { status: "closed" });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe("Ce cas est déjà relogé : il ne peut plus changer.");
    const late = await call(
      lmh,
      answerAction,
      `/crib/cases/${caseId}/answers`,
      { hasSolution: false },
      { id: caseId },
    );
    expect(late.status).toBe(409);
    const session = (
      await call(urh, sessionLoader, `/crib/sessions/${sessionId}`, undefined, { id: sessionId })
    ).body as unknown as Session;
    expect(session.cases[0]).toMatchObject({ status: "rehoused", pilotName: "Vilogia" });
    expect((await db.select().from(cribAnswers)).length).toBe(2);
  });

  it("logs every read of a session's list, and anonymises cases finished for more than 24 months, once", async () => {
    const reads = await db.select().from(cribReads).where(eq(cribReads.sessionId, sessionId));
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads.map((r) => r.organisationId))).toEqual(
      new Set([urh.organisationId, vilogia.organisationId, lmh.organisationId]),
    );
    const now = new Date();
    expect((await anonymiseClosedCribCases(now)).anonymised).toBe(0);
    const later = new Date(now);
    later.setUTCMonth(later.getUTCMonth() + 25);
    const [a, b] = await Promise.all([anonymiseClosedCribCases(later), anonymiseClosedCribCases(later)]);
    expect(a.anonymised + b.anonymised).toBe(1);
    expect((await anonymiseClosedCribCases(later)).anonymised).toBe(0);
    const [row] = await db.select().from(cribCases).where(eq(cribCases.id, caseId));
    expect(row).toMatchObject({ numeroUnique: null, status: "rehoused" });
    const session = (
      await call(urh, sessionLoader, `/crib/sessions/${sessionId}`, undefined, { id: sessionId })
    ).body as unknown as { cases: Array<{ numeroUnique: string | null }> };
    expect(session.cases[0]!.numeroUnique).toBeNull();
  });
});

describe("CRIB answers awaited", () => {
  let session: string;
  let openCase: string;

  beforeAll(async () => {
    session = (await call(mel, sessionsAction, "/crib/sessions", { heldOn: "2026-04-09" })).body.id as string;
    openCase = (
      await call(
        mel,
        casesAction,
        `/crib/sessions/${session}/cases`,
        {
          numeroUnique: "059 2301 00777 M",
          originBailleurSlug: "vilogia",
          typology: "T3",
          communesWanted: ["59350"],
        },
        { id: session },
      )
    ).body.id as string;
  });

  const remind = (who: Caller) =>
    call(who, remindAction, `/crib/sessions/${session}/reminders`, {}, { id: session });
  const reminderMails = async (to: string) =>
    (await db.select().from(emailOutbox).where(eq(emailOutbox.to, to))).filter((m) =>
      m.subject.startsWith("Relance"),
    );

  it("keeps each side's notes: the bailleur's with its answer, the follow-up notes to the MEL and the URH", async () => {
    expect((await remind(mel)).status).toBe(409);
    await call(mel, publishAction, `/crib/sessions/${session}/publish`, {}, { id: session });
    const answered = await call(
      vilogia,
      answerAction,
      `/crib/cases/${openCase}/answers`,
      { hasSolution: false, note: "Aucun T3 libre avant l'été." },
      { id: openCase },
    );
    expect(answered.status).toBe(200);
    const tooLong = await call(
      lmh,
      answerAction,
      `/crib/cases/${openCase}/answers`,
      { hasSolution: false, note: "x".repeat(2001) },
      { id: openCase },
    );
    expect(tooLong.status).toBe(400);
    const follow = (who: Caller, body: unknown) =>
      call(who, followAction, `/crib/cases/${openCase}/follow-up`, body, { id: openCase });
    expect((await follow(urh, { notes: "Ménage revu le 10 avril." })).status).toBe(200);
    expect((await follow(urh, { notes: "Ménage revu le 10 avril." })).status).toBe(400);
    expect((await follow(vilogia, { notes: "Tentative" })).status).toBe(403);

    const seen = async (who: Caller) =>
      (
        (await call(who, sessionLoader, `/crib/sessions/${session}`, undefined, { id: session })).body as {
          cases: Array<{ notes: string; answers: Array<{ note: string }> }>;
        }
      ).cases[0]!;
    expect(await seen(mel)).toMatchObject({
      notes: "Ménage revu le 10 avril.",
      answers: [{ note: "Aucun T3 libre avant l'été." }],
    });
    expect((await seen(vilogia)).notes).toBe("");
  });

  it("lists the bailleurs that have not answered, and reminds them at most once a day, in the outbox", async () => {
    const mel_ = await actorOf(mel);
    const awaited = (await getCribSession(mel_, session)).awaited;
    const names = awaited.map((b) => b.name);
    expect(names).toContain("Lille Métropole Habitat");
    expect(names).not.toContain("Vilogia");
    expect(awaited.every((b) => b.missing === 1 && !b.remindedToday)).toBe(true);
    expect((await getCribSession(await actorOf(vilogia), session)).awaited).toEqual([]);

    expect((await remind(vilogia)).status).toBe(403);
    const first = await remind(urh);
    expect(first.status).toBe(200);
    expect(first.body.reminded).toEqual(names);
    expect((await reminderMails(lmh.email)).map((m) => m.subject)).toEqual([
      "Relance : liste de la CRIB du 9 avril 2026",
    ]);
    expect(await reminderMails(vilogia.email)).toEqual([]);
    const again = await remind(mel);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/déjà été relancés aujourd'hui/);
    expect((await reminderMails(lmh.email)).length).toBe(1);

    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    expect((await remindCribBailleurs(mel_, session, BASE_URL, tomorrow)).reminded).toEqual(names);
    expect((await reminderMails(lmh.email)).length).toBe(2);
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "crib.session.remind"));
    expect(audits).toHaveLength(2);
  });
});
