import { readdirSync, readFileSync } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { avenants, emailOutbox } from "#db/schema";
import { openApiDocument } from "~/api/openapi";
import { runJobs } from "~/jobs/run.server";
import { acceptAvenant, sendAvenant, statusLine } from "~/models/avenants.server";
import { loader as boardLoader } from "~/routes/_app.avenants";
import { loader as getLoader } from "~/routes/api.v1.avenants.$id";
import { action as contestAction } from "~/routes/api.v1.avenants.$id.contest";
import { action as maintainAction } from "~/routes/api.v1.avenants.$id.maintain";
import { action as reviseAction } from "~/routes/api.v1.avenants.$id.revise";
import { action as sendAction } from "~/routes/api.v1.avenants.$id.send";
import { action as generateAction } from "~/routes/api.v1.avenants.generate";
import { action as sendAllAction } from "~/routes/api.v1.avenants.send";
import { loader as pdfLoader } from "~/routes/avenants.$id.courrier[.pdf]";
import { apiOf, browserOf, publishYear } from "./helpers/cycle";
import { actorOf, BASE_URL, createUser, organisation } from "./helpers/fixtures";
import { pdfText } from "./helpers/pdf";

/**
 * The letters as a ledger (issue 13): tacit acceptance dated at the end of the period whenever the job runs, explicit
 * acceptance with who and when, the dispute loop answered by the party that can change what is contested, and the
 * year's drafts sent in one action.
 */
const YEAR = 2027;
const BAILLEURS = [
  "vilogia",
  "lille-metropole-habitat",
  "icf-habitat-nord-est",
  "habitat-du-nord",
  "maisons-et-cites",
  "sia-habitat",
] as const;
type Api = Awaited<ReturnType<typeof apiOf>>;
type Letter = {
  id: string;
  status: string;
  version: number;
  rateBp: number;
  sentAt: string | null;
  deadline: { lastDay: string; endsAt: string; label: string } | null;
  acceptance: "explicit" | "tacit" | null;
  acceptedAt: string | null;
  acceptedBy: { user: { name: string }; organisation: { name: string } } | null;
  dispute: {
    contested: string[];
    pending: string[];
    thread: Array<{
      kind: string;
      part: string;
      text: string;
      author: { name: string };
      organisation: { name: string };
    }>;
  };
};
const api: Record<string, Api> = {};
const letter: Record<string, string> = {};

const get = async (who: string, id: string) => {
  const res = await api[who]!.call(getLoader as never, `/api/v1/avenants/${id}`, { params: { id } });
  return { status: res.status, letter: res.body as unknown as Letter };
};
const post = (who: string, handler: unknown, id: string, name: string, body?: unknown) =>
  api[who]!.call(handler as never, `/api/v1/avenants/${id}/${name}`, {
    method: "POST",
    body,
    params: { id },
  });
const mailsTo = (who: string) =>
  db.select().from(emailOutbox).where(eq(emailOutbox.to, api[who]!.user.email));

beforeAll(async () => {
  const people: Array<[string, string, Parameters<typeof createUser>[1]]> = [
    ["etat", "etat", ["signataire"]],
    ["mel-signataire", "mel", ["signataire"]],
    ["mel-gestionnaire", "mel", ["gestionnaire"]],
    ["als-signataire", "action-logement", ["signataire"]],
    ["als-gestionnaire", "action-logement", ["gestionnaire"]],
    ["vilogia", "vilogia", ["signataire"]],
    ["lmh", "lille-metropole-habitat", ["signataire"]],
    ["icf", "icf-habitat-nord-est", ["signataire"]],
    ["hdn", "habitat-du-nord", ["signataire"]],
    ["sia", "sia-habitat", ["signataire"]],
  ];
  for (const [who, slug, roles] of people) api[who] = await apiOf(await createUser(slug, roles));
  await publishYear(
    YEAR,
    Object.fromEntries(BAILLEURS.map((slug) => [slug, { a: 1000, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 }])),
  );
  await api["mel-gestionnaire"]!.call(generateAction as never, "/api/v1/avenants/generate", {
    method: "POST",
    body: { year: YEAR },
  });
  const mel = await organisation("mel");
  for (const slug of BAILLEURS) {
    const [row] = await db
      .select()
      .from(avenants)
      .where(
        and(eq(avenants.reservataireId, mel.id), eq(avenants.bailleurId, (await organisation(slug)).id)),
      );
    letter[slug] = row!.id;
  }
});

describe("acceptance dated truly", () => {
  it("stamps a tacit acceptance at the end of its last day (a Saturday) when the job runs two days later", async () => {
    // Sent on 30 November 2026: the period ends on Saturday 30 January 2027 at 24 h in Paris (23:00 UTC), not extended.
    const mel = await actorOf(api["mel-signataire"]!.user);
    await sendAvenant(mel, { id: letter.vilogia!, baseUrl: BASE_URL, now: new Date("2026-11-30T10:00:00Z") });
    const sent = (await get("vilogia", letter.vilogia!)).letter;
    expect(sent.deadline).toMatchObject({
      lastDay: "2027-01-30",
      endsAt: "2027-01-30T23:00:00.000Z",
      label: "samedi 30 janvier 2027 à 24 h (heure de Paris)",
    });
    await runJobs(new Date("2027-02-01T23:30:00Z"));

    const { letter: done } = await get("vilogia", letter.vilogia!);
    expect(done).toMatchObject({
      status: "tacitly_accepted",
      acceptance: "tacit",
      acceptedAt: "2027-01-30T23:00:00.000Z",
      acceptedBy: null,
    });
    // What the PDF, the board and the calendar print: the deadline's end, never the job's run time.
    expect(statusLine(done as never)).toBe(
      "Accepté tacitement le samedi 30 janvier 2027 à 24 h (heure de Paris)",
    );
    const [row] = await db.select().from(avenants).where(eq(avenants.id, letter.vilogia!));
    expect(row!.answeredAt!.toISOString()).toBe("2027-01-30T23:00:00.000Z");
    const browser = await browserOf(api.vilogia!.user);
    const pdf = await browser.raw(pdfLoader, `/avenants/${letter.vilogia}/courrier.pdf`, {
      id: letter.vilogia!,
    });
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain("Statut : Accepté tacitement le samedi 30 janvier 2027 à 24 h (heure de Paris)");
    expect(text).toContain("Lille, le 30 novembre 2026");
    // Justified paragraphs are laid out word by word: compared without spaces.
    const words = text.replace(/\s+/g, "");
    expect(words).toContain("délaiexpirantlesamedi30janvier2027à24h(heuredeParis)");
    expect(words).toContain("n'estpasprorogélorsqu'ilexpireunsamedi,undimancheouunjourférié");
    const board = await browser.get(boardLoader, `/avenants?year=${YEAR}`);
    const shown = (board.body.letters as Array<{ id: string; statusLine: string }>).find(
      (l) => l.id === letter.vilogia,
    );
    expect(shown!.statusLine).toBe("Accepté tacitement le samedi 30 janvier 2027 à 24 h (heure de Paris)");
  });

  it("migrates a tacit acceptance recorded at the job's run time to its deadline's end", async () => {
    await db
      .update(avenants)
      .set({ answeredAt: new Date("2027-02-01T00:00:00Z") })
      .where(eq(avenants.id, letter.vilogia!));
    const file = readdirSync("db/migrations").find((f) =>
      f.endsWith("_avenant_acceptance_and_disputes.sql"),
    )!;
    const statements = readFileSync(`db/migrations/${file}`, "utf8").split("--> statement-breakpoint");
    const move = statements.find((s) => s.includes('UPDATE "avenants" SET "answered_at"'))!;
    await db.execute(sql.raw(move));
    const [row] = await db.select().from(avenants).where(eq(avenants.id, letter.vilogia!));
    expect(row!.answeredAt!.toISOString()).toBe("2027-01-30T23:00:00.000Z");
  });

  it("shows who accepted explicitly, for which organisation, and when", async () => {
    const mel = await actorOf(api["mel-signataire"]!.user);
    await sendAvenant(mel, {
      id: letter["lille-metropole-habitat"]!,
      baseUrl: BASE_URL,
      now: new Date("2026-11-20T09:00:00Z"),
    });
    const lmh = await actorOf(api.lmh!.user);
    await acceptAvenant(lmh, {
      id: letter["lille-metropole-habitat"]!,
      baseUrl: BASE_URL,
      now: new Date("2026-12-01T10:05:00Z"),
    });
    const { letter: accepted } = await get("mel-signataire", letter["lille-metropole-habitat"]!);
    expect(accepted).toMatchObject({
      status: "accepted",
      acceptance: "explicit",
      acceptedAt: "2026-12-01T10:05:00.000Z",
      acceptedBy: { user: { name: api.lmh!.user.name }, organisation: { name: "Lille Métropole Habitat" } },
    });
    expect(statusLine(accepted as never)).toBe(
      `Accepté le 1er décembre 2026 à 11:05 par ${api.lmh!.user.name} (Lille Métropole Habitat)`,
    );
  });
});

describe("the dispute loop on the API", () => {
  it("contest of H: the État, not the réservataire, answers; its maintained reply is mailed to the bailleur", async () => {
    const id = letter["icf-habitat-nord-est"]!;
    expect((await post("mel-signataire", sendAction, id, "send")).status).toBe(200);
    // Before any contest of H, the État is no party to the MEL's letter.
    expect((await get("etat", id)).status).toBe(404);
    const noPart = await post("icf", contestAction, id, "contest", {
      reason: "Les relogements ORCOD manquent.",
    });
    expect(noPart.status).toBe(400);
    expect((noPart.body.errors as Record<string, string>).part).toMatch(/h \(l'assiette H\)/);
    const reason = "Les relogements ORCOD de la résidence Jean Bart ne sont pas déduits de H.";
    const contested = await post("icf", contestAction, id, "contest", { part: "h", reason });
    expect(contested.body).toMatchObject({
      status: "contested",
      dispute: { contested: ["h"], pending: ["h"] },
    });

    const byMel = await post("mel-signataire", maintainAction, id, "maintain", {
      reply: "Nous maintenons le courrier.",
    });
    expect(byMel.status).toBe(403);
    expect(byMel.body.message).toMatch(/Seul l'État/);
    expect((await get("etat", id)).status).toBe(200);
    expect((await post("etat", maintainAction, id, "maintain", { reply: "court" })).status).toBe(400);
    const reply = "Les relogements ORCOD de 2027 ne sont pas encore engagés : H est maintenu à 1 000.";
    const maintained = await post("etat", maintainAction, id, "maintain", { reply });
    expect(maintained.status).toBe(200);
    const after = maintained.body as unknown as Letter;
    // Maintained: sent again as it is, a new version and a new two-month period.
    expect(after).toMatchObject({ status: "sent", version: 2, dispute: { pending: [] } });
    expect(after.dispute.thread.map((m) => [m.kind, m.part, m.organisation.name])).toEqual([
      ["contest", "h", "ICF Habitat Nord-Est"],
      ["maintain", "h", "Préfet du Nord (DDTM)"],
    ]);
    expect(after.dispute.thread[1]).toMatchObject({ text: reply, author: { name: api.etat!.user.name } });
    const mail = (await mailsTo("icf")).find((m) => m.subject.includes("réponse à la contestation"));
    expect(mail!.text).toContain(reply);
    expect(mail!.text).toContain("comité de suivi");
    // The réservataire sees the same thread.
    expect((await get("mel-signataire", id)).letter.dispute.thread).toHaveLength(2);
  });

  it("contest of the rate: the réservataire's signataire revises it, a new letter with a new deadline", async () => {
    const id = letter["habitat-du-nord"]!;
    const mel = await actorOf(api["mel-signataire"]!.user);
    await sendAvenant(mel, { id, baseUrl: BASE_URL, now: new Date("2026-10-01T08:00:00Z") });
    const reason = "Le taux de 20 % ne tient pas compte de l'avenant signé en 2026.";
    await post("hdn", contestAction, id, "contest", { part: "rate", reason });
    // The État does not answer a rate, nor even see the letter.
    expect((await post("etat", reviseAction, id, "revise", { reply: "Correction de H." })).status).toBe(404);
    const reply = "Nous retenons 18 % conformément à l'avenant de 2026.";
    expect((await post("mel-gestionnaire", reviseAction, id, "revise", { reply, rateBp: 1800 })).status).toBe(
      403,
    );
    expect((await post("mel-signataire", reviseAction, id, "revise", { reply, rateBp: 2500 })).status).toBe(
      400,
    );
    const revised = await post("mel-signataire", reviseAction, id, "revise", { reply, rateBp: 1800 });
    expect(revised.status).toBe(200);
    const after = revised.body as unknown as Letter;
    expect(after).toMatchObject({ status: "sent", version: 2, rateBp: 1800 });
    expect(new Date(after.sentAt!).getTime()).toBeGreaterThan(new Date("2026-10-01T08:00:00Z").getTime());
    expect(after.deadline!.lastDay > "2026-12-01").toBe(true);
    expect(after.dispute.thread.map((m) => m.kind)).toEqual(["contest", "revise"]);
    expect((await mailsTo("hdn")).some((m) => m.text.includes(reply))).toBe(true);
    // Answered already: a second answer is refused.
    expect((await post("mel-signataire", maintainAction, id, "maintain", { reply })).status).toBe(409);
  });
  it("contest of both: each party answers its part; the État revising H leaves the letter to the rectificatif", async () => {
    const id = letter["sia-habitat"]!;
    await post("mel-signataire", sendAction, id, "send");
    await post("sia", contestAction, id, "contest", {
      part: "both",
      reason: "H oublie la vente de 40 logements, et le taux aussi.",
    });
    const etatReply = "La vente de 40 logements sera déduite : l'assiette sera rectifiée.";
    const byEtat = await post("etat", reviseAction, id, "revise", { reply: etatReply });
    expect(byEtat.body).toMatchObject({ status: "contested", dispute: { pending: ["rate"] } });
    const melReply = "Le taux de 20 % est celui de la convention cadre.";
    const byMel = await post("mel-signataire", maintainAction, id, "maintain", { reply: melReply });
    expect(byMel.body).toMatchObject({
      status: "contested",
      version: 1,
      dispute: { pending: [], awaitingRectificatif: true },
    });
    const sia = await mailsTo("sia");
    expect(sia.some((m) => m.text.includes(etatReply) && m.text.includes("rectificatif"))).toBe(true);
    expect(sia.some((m) => m.text.includes(melReply))).toBe(true);
  });
});

describe("sending the year's letters in one action", () => {
  it("sends every draft of the caller's organisation only, once", async () => {
    const sendAll = (who: string, body: unknown = { year: YEAR }) =>
      api[who]!.call(sendAllAction as never, "/api/v1/avenants/send", { method: "POST", body });
    await api["als-signataire"]!.call(generateAction as never, "/api/v1/avenants/generate", {
      method: "POST",
      body: { year: YEAR },
    });
    expect((await sendAll("als-gestionnaire")).status).toBe(403);
    expect((await sendAll("als-signataire", { year: "2027" })).status).toBe(400);
    const first = await sendAll("als-signataire");
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ sent: BAILLEURS.length, refused: [] });
    const als = await organisation("action-logement");
    const alsLetters = await db.select().from(avenants).where(eq(avenants.reservataireId, als.id));
    expect(alsLetters.map((a) => a.status)).toEqual(BAILLEURS.map(() => "sent"));
    // The MEL's draft is untouched.
    const [melDraft] = await db.select().from(avenants).where(eq(avenants.id, letter["maisons-et-cites"]!));
    expect(melDraft!.status).toBe("draft");
    expect((await sendAll("als-signataire")).body).toEqual({ sent: 0, refused: [] });
  });

  it("answers 404 for another organisation's letter", async () => {
    const id = letter["maisons-et-cites"]!;
    expect((await get("vilogia", id)).status).toBe(404);
    expect((await get("als-signataire", id)).status).toBe(404);
    expect(
      (await post("vilogia", maintainAction, id, "maintain", { reply: "Rien à voir ici." })).status,
    ).toBe(404);
    expect((await get("vilogia", "pas-un-uuid")).status).toBe(404);
  });
});

describe("OpenAPI", () => {
  it("describes the letter's acceptance and dispute, and the revise, maintain and send-all steps", () => {
    const paths = Object.keys(openApiDocument.paths);
    for (const path of [
      "/avenants/{id}",
      "/avenants/{id}/revise",
      "/avenants/{id}/maintain",
      "/avenants/send",
    ])
      expect(paths).toContain(path);
    const avenant = openApiDocument.components.schemas.Avenant as { properties: object };
    expect(Object.keys(avenant.properties)).toEqual(
      expect.arrayContaining(["acceptance", "acceptedAt", "acceptedBy", "dispute"]),
    );
  });
});
