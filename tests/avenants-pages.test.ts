import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { avenants } from "#db/schema";
import { action as boardAction, loader as boardLoader } from "~/routes/_app.avenants";
import { loader as pdfLoader } from "~/routes/avenants.$id.courrier[.pdf]";
import { browserOf, publishYear } from "./helpers/cycle";
import { createUser } from "./helpers/fixtures";

/** The boards of both sides: generate, send, contest with a reason, revise, maintain; the letter as a PDF. */
const YEAR = 2028;
const path = `/avenants?year=${YEAR}`;
type Letter = {
  id: string;
  status: string;
  bailleur: { name: string };
  contestReason: string | null;
  daysLeft: number | null;
  deemedAcceptedOn: string | null;
  canSend: boolean;
  canAnswer: boolean;
  answers: string[];
};

let melSignataire: Awaited<ReturnType<typeof browserOf>>;
let melGestionnaire: Awaited<ReturnType<typeof browserOf>>;
let lmh: Awaited<ReturnType<typeof browserOf>>;
let vilogia: Awaited<ReturnType<typeof browserOf>>;
let commune: Awaited<ReturnType<typeof browserOf>>;

const letters = async (who: typeof lmh) =>
  ((await who.get(boardLoader, path)).body.letters ?? []) as Letter[];

beforeAll(async () => {
  melSignataire = await browserOf(await createUser("mel", ["signataire"]));
  melGestionnaire = await browserOf(await createUser("mel", ["gestionnaire"]));
  lmh = await browserOf(await createUser("lille-metropole-habitat", ["signataire"]));
  vilogia = await browserOf(await createUser("vilogia", ["signataire"]));
  commune = await browserOf(await createUser("commune-59350", ["admin"]));
  await publishYear(YEAR, {
    "lille-metropole-habitat": { a: 1250, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 },
    vilogia: { a: 1400, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 },
  });
});

describe("avenants boards", () => {
  it("lets the MEL prepare its letters and its signataire send them; the bailleur sees the countdown", async () => {
    expect((await commune.get(boardLoader, path)).status).toBe(403);
    expect((await lmh.post(boardAction, path, { intent: "generate", year: String(YEAR) })).status).toBe(403);
    const generated = await melGestionnaire.post(boardAction, path, {
      intent: "generate",
      year: String(YEAR),
    });
    expect(generated.body.message).toMatch(/^2 courrier/);
    const drafts = await letters(melGestionnaire);
    expect(drafts.map((l) => l.status)).toEqual(["draft", "draft"]);
    expect(drafts.every((l) => !l.canSend)).toBe(true);
    const lmhLetter = (await letters(melSignataire)).find(
      (l) => l.bailleur.name === "Lille Métropole Habitat",
    )!;
    expect(lmhLetter.canSend).toBe(true);
    expect((await melGestionnaire.post(boardAction, path, { intent: "send", id: lmhLetter.id })).status).toBe(
      403,
    );
    const sent = await melSignataire.post(boardAction, path, { intent: "send", id: lmhLetter.id });
    expect(sent.body.message).toMatch(
      /réputé accepté le \S+ (1er|\d{1,2}) \S+ \d{4} à 24 h \(heure de Paris\)/,
    );
    const seen = await letters(lmh);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ status: "sent", canAnswer: true });
    expect(seen[0]!.daysLeft).toBeGreaterThanOrEqual(58);
    expect(seen[0]!.daysLeft).toBeLessThanOrEqual(62);
    // Vilogia does not see Lille Métropole Habitat's letter.
    expect((await letters(vilogia)).every((l) => l.bailleur.name === "Vilogia")).toBe(true);
    expect((await vilogia.post(boardAction, path, { intent: "accept", id: lmhLetter.id })).status).toBe(404);
  });

  it("takes a contest with its reason, shows it to the réservataire, who revises or maintains it", async () => {
    const [letter] = await letters(lmh);
    const empty = await lmh.post(boardAction, path, {
      intent: "contest",
      id: letter!.id,
      part: "rate",
      reason: "",
    });
    expect(empty.status).toBe(400);
    expect((empty.body.errors as Record<string, string>).reason).toMatch(/Motivez|motif/);
    const reason = "Les relogements NPNRU de 2028 ne sont pas déduits du flux.";
    const contest = { intent: "contest", id: letter!.id, part: "rate", reason };
    expect((await lmh.post(boardAction, path, contest)).body.ok).toBe(true);
    // The rate is the réservataire's: its signataire answers, not its gestionnaire.
    expect((await letters(melGestionnaire)).find((l) => l.id === letter!.id)).toMatchObject({
      status: "contested",
      contestReason: reason,
      answers: [],
    });
    expect((await letters(melSignataire)).find((l) => l.id === letter!.id)!.answers).toEqual(["rate"]);
    const reply = "Le flux NPNRU est déduit : taux ramené à 18 %.";
    const bad = await melSignataire.post(boardAction, path, {
      intent: "revise",
      id: letter!.id,
      rate: "25",
      reply,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/20 %/);
    const noReply = await melSignataire.post(boardAction, path, {
      intent: "maintain",
      id: letter!.id,
      reply: "",
    });
    expect(noReply.status).toBe(400);
    expect((noReply.body.errors as Record<string, string>).reply).toMatch(/10 caractères/);
    expect(
      (await melSignataire.post(boardAction, path, { intent: "revise", id: letter!.id, rate: "18", reply }))
        .body.ok,
    ).toBe(true);
    const [row] = await db.select().from(avenants).where(eq(avenants.id, letter!.id));
    expect(row).toMatchObject({ status: "sent", rateBp: 1800, rights: 225, version: 2 });
    expect((await lmh.post(boardAction, path, contest)).body.ok).toBe(true);
    const maintained = await melSignataire.post(boardAction, path, {
      intent: "maintain",
      id: letter!.id,
      reply: "Le taux de 18 % est celui de la convention signée.",
    });
    expect(maintained.body.ok).toBe(true);
    expect((await letters(lmh))[0]).toMatchObject({ status: "sent", canAnswer: true });
    expect((await lmh.post(boardAction, path, { intent: "accept", id: letter!.id })).body.ok).toBe(true);
    expect((await lmh.post(boardAction, path, { intent: "accept", id: letter!.id })).status).toBe(409);
  });

  it("serves the letter as a PDF to its two parties only", async () => {
    const [letter] = await letters(lmh);
    const response = await lmh.raw(pdfLoader, `/avenants/${letter!.id}/courrier.pdf`, { id: letter!.id });
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(bytes.length).toBeGreaterThan(1500);
    expect((await melSignataire.get(pdfLoader, "/x", { id: letter!.id })).status).toBe(200);
    expect((await vilogia.get(pdfLoader, "/x", { id: letter!.id })).status).toBe(404);
    expect((await commune.get(pdfLoader, "/x", { id: letter!.id })).status).toBe(404);
  });
});

describe("sending the year's letters in one action", () => {
  it("sends every draft of the réservataire's signataire at once, and finds none the second time", async () => {
    const etatGestionnaire = await browserOf(await createUser("etat", ["gestionnaire"]));
    const etatSignataire = await browserOf(await createUser("etat", ["signataire"]));
    await etatGestionnaire.post(boardAction, path, { intent: "generate", year: String(YEAR) });
    expect((await etatSignataire.get(boardLoader, path)).body.draftsToSend).toBe(2);
    // The gestionnaire prepares the letters; sending them is the signataire's (with one confirmation on the page).
    expect((await etatGestionnaire.get(boardLoader, path)).body.draftsToSend).toBe(0);
    const sent = await etatSignataire.post(boardAction, path, { intent: "send_all", year: String(YEAR) });
    expect(sent.body).toMatchObject({ ok: true, message: "2 courrier(s) envoyé(s)." });
    const own = ((await etatSignataire.get(boardLoader, path)).body.letters as Letter[]).filter(
      (l) => l.status === "sent",
    );
    expect(own.map((l) => l.bailleur.name).sort()).toEqual(["Lille Métropole Habitat", "Vilogia"]);
    expect((await etatSignataire.get(boardLoader, path)).body.draftsToSend).toBe(0);
    const again = await etatSignataire.post(boardAction, path, { intent: "send_all", year: String(YEAR) });
    expect(again.body).toMatchObject({ ok: true, message: "0 courrier(s) envoyé(s)." });
  });
});
