import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import { action as boardAction, loader as boardLoader } from "~/routes/_app.avenants";
import { loader as ratesLoader } from "~/routes/_app.taux-negocies";
import { loader as listLoader } from "~/routes/api.v1.avenants";
import { loader as getLoader } from "~/routes/api.v1.avenants.$id";
import { action as contestAction } from "~/routes/api.v1.avenants.$id.contest";
import { action as maintainAction } from "~/routes/api.v1.avenants.$id.maintain";
import { action as reviseAction } from "~/routes/api.v1.avenants.$id.revise";
import { action as sendAllAction } from "~/routes/api.v1.avenants.send";
import { apiOf, browserOf, publishYear } from "./helpers/cycle";
import { createUser } from "./helpers/fixtures";

/**
 * Issue 18: each step of a letter is one model function that the board and the API both call, so the same step gives
 * the same letter whichever way it is taken; `?year=` on the board (and `?annee=`, the name the mails carried before).
 */
const YEAR = 2029;
const BAILLEURS = ["lille-metropole-habitat", "vilogia", "icf-habitat-nord-est", "habitat-du-nord"] as const;
type Bailleur = (typeof BAILLEURS)[number];
type Browser = Awaited<ReturnType<typeof browserOf>>;
type Api = Awaited<ReturnType<typeof apiOf>>;
type Letter = {
  id: string;
  status: string;
  version: number;
  rateBp: number;
  rights: number;
  bailleur: { name: string };
  dispute: { pending: string[]; thread: Array<{ kind: string; part: string; text: string }> };
};

const page: Record<string, Browser> = {};
const api: Record<string, Api> = {};
const letterOf: Partial<Record<Bailleur, string>> = {};
const board = `/avenants?year=${YEAR}`;

const get = async (who: string, id: string) =>
  (await api[who]!.call(getLoader as never, `/api/v1/avenants/${id}`, { params: { id } })).body as Letter;
const post = (who: string, handler: unknown, id: string, step: string, body: unknown) =>
  api[who]!.call(handler as never, `/api/v1/avenants/${id}/${step}`, {
    method: "POST",
    body,
    params: { id },
  });
/** What a step leaves on the letter, without what differs by construction (ids, dates, authors). */
const outcomeOf = ({ status, version, rateBp, rights, dispute }: Letter) => ({
  status,
  version,
  rateBp,
  rights,
  pending: dispute.pending,
  thread: dispute.thread.map(({ kind, part, text }) => ({ kind, part, text })),
});

const NAMES: Record<Bailleur, string> = {
  "lille-metropole-habitat": "Lille Métropole Habitat",
  vilogia: "Vilogia",
  "icf-habitat-nord-est": "ICF Habitat Nord-Est",
  "habitat-du-nord": "Habitat du Nord",
};
beforeAll(async () => {
  const people: Array<[string, string, Parameters<typeof createUser>[1]]> = [
    ["mel-signataire", "mel", ["signataire"]],
    ["mel-gestionnaire", "mel", ["gestionnaire"]],
    ["lille-metropole-habitat", "lille-metropole-habitat", ["signataire"]],
    ["vilogia", "vilogia", ["signataire"]],
    ["icf-habitat-nord-est", "icf-habitat-nord-est", ["signataire"]],
    ["habitat-du-nord", "habitat-du-nord", ["signataire"]],
    ["commune", "commune-59350", ["admin"]],
  ];
  for (const [who, slug, roles] of people) {
    const user = await createUser(slug, roles);
    page[who] = await browserOf(user);
    api[who] = await apiOf(user);
  }
  // The same H for every bailleur: a step taken on two letters must leave the same figures.
  await publishYear(
    YEAR,
    Object.fromEntries(BAILLEURS.map((slug) => [slug, { a: 1000, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 }])),
  );
  await page["mel-gestionnaire"]!.post(boardAction, board, { intent: "generate", year: String(YEAR) });
  await api["mel-signataire"]!.call(sendAllAction as never, "/api/v1/avenants/send", {
    method: "POST",
    body: { year: YEAR },
  });
  const letters = (await page["mel-signataire"]!.get(boardLoader, board)).body.letters as Letter[];
  for (const slug of BAILLEURS) letterOf[slug] = letters.find((l) => l.bailleur.name === NAMES[slug])!.id;
});

const reason = "Le taux ne tient pas compte de l'avenant signé l'an passé.";

describe("one step, the board and the API alike", () => {
  it("revising a contested rate gives the same letter from the board as from the API", async () => {
    const byPage = letterOf["lille-metropole-habitat"]!;
    const byApi = letterOf.vilogia!;
    await page["lille-metropole-habitat"]!.post(boardAction, board, {
      intent: "contest",
      id: byPage,
      part: "rate",
      reason,
    });
    await post("vilogia", contestAction, byApi, "contest", { part: "rate", reason });
    const reply = "Nous retenons 18 % conformément à l'avenant signé.";
    const revisedOnPage = await page["mel-signataire"]!.post(boardAction, board, {
      intent: "revise",
      id: byPage,
      rate: "18",
      reply,
    });
    expect(revisedOnPage.body).toMatchObject({
      ok: true,
      message: expect.stringMatching(/révisé et renvoyé/),
    });
    const revisedByApi = await post("mel-signataire", reviseAction, byApi, "revise", { reply, rateBp: 1800 });
    expect(revisedByApi.status).toBe(200);

    const pageLetter = outcomeOf(await get("mel-signataire", byPage));
    expect(pageLetter).toMatchObject({ status: "sent", version: 2, rateBp: 1800, pending: [] });
    expect(pageLetter.thread.map((m) => m.kind)).toEqual(["contest", "revise"]);
    expect(outcomeOf(revisedByApi.body as unknown as Letter)).toEqual(pageLetter);
  });

  it("maintaining a contested rate gives the same letter from the board as from the API", async () => {
    const byPage = letterOf["icf-habitat-nord-est"]!;
    const byApi = letterOf["habitat-du-nord"]!;
    await post("icf-habitat-nord-est", contestAction, byPage, "contest", { part: "rate", reason });
    await post("habitat-du-nord", contestAction, byApi, "contest", { part: "rate", reason });
    const reply = "Le taux est celui de la convention cadre signée par les deux parties.";
    const maintainedOnPage = await page["mel-signataire"]!.post(boardAction, board, {
      intent: "maintain",
      id: byPage,
      reply,
    });
    expect(maintainedOnPage.body).toMatchObject({ ok: true, message: expect.stringMatching(/maintenu/) });
    const maintainedByApi = await post("mel-signataire", maintainAction, byApi, "maintain", { reply });
    expect(maintainedByApi.status).toBe(200);

    const pageLetter = outcomeOf(await get("mel-signataire", byPage));
    expect(pageLetter).toMatchObject({ status: "sent", version: 2, pending: [] });
    expect(pageLetter.thread.map((m) => m.kind)).toEqual(["contest", "maintain"]);
    expect(outcomeOf(maintainedByApi.body as unknown as Letter)).toEqual(pageLetter);
  });

  it("refuses the same input with the same message on both sides, writing nothing", async () => {
    const id = letterOf.vilogia!;
    await post("vilogia", contestAction, id, "contest", { part: "rate", reason });
    const before = await get("mel-signataire", id);
    const onPage = await page["mel-signataire"]!.post(boardAction, board, {
      intent: "maintain",
      id,
      reply: "",
    });
    const byApi = await post("mel-signataire", maintainAction, id, "maintain", { reply: "court" });
    expect([onPage.status, byApi.status]).toEqual([400, 400]);
    expect((onPage.body.errors as Record<string, string>).reply).toMatch(/10 caractères/);
    expect((byApi.body.errors as Record<string, string>).reply).toBe(
      (onPage.body.errors as Record<string, string>).reply,
    );
    expect(await get("mel-signataire", id)).toEqual(before);
  });

  it("lists the letters to the same organisations: a commune is refused by both", async () => {
    expect((await page.commune!.get(boardLoader, board)).status).toBe(403);
    expect((await api.commune!.call(listLoader as never, `/api/v1/avenants?year=${YEAR}`)).status).toBe(403);
    const onPage = (await page.vilogia!.get(boardLoader, board)).body.letters as Letter[];
    const byApi = (await api.vilogia!.call(listLoader as never, `/api/v1/avenants?year=${YEAR}`))
      .body as unknown as Letter[];
    expect(onPage.map((l) => l.id)).toEqual([letterOf.vilogia]);
    expect(byApi.map((l) => l.id)).toEqual(onPage.map((l) => l.id));
  });
});

describe("?year= on the board, and the links already mailed with ?annee=", () => {
  it("mails new links with ?year=, and an old ?annee= link shows the same board", async () => {
    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.to, page.vilogia!.user.email));
    const links = mails.flatMap((m) => m.text.match(/\/avenants\?\S+/g) ?? []);
    expect(links.length).toBeGreaterThan(0);
    expect(new Set(links)).toEqual(new Set([`/avenants?year=${YEAR}#${letterOf.vilogia}`]));

    const current = (await page.vilogia!.get(boardLoader, board)).body;
    const old = (await page.vilogia!.get(boardLoader, `/avenants?annee=${YEAR}`)).body;
    expect(old.year).toBe(YEAR);
    expect((old.letters as Letter[]).map((l) => l.id)).toEqual([letterOf.vilogia]);
    expect(old.letters).toEqual(current.letters);
    // Without a year, the board shows the current one, which has no letter: the old link was not ignored.
    expect(((await page.vilogia!.get(boardLoader, "/avenants")).body.letters as Letter[]).length).toBe(0);
  });

  it("answers a year that is not one with the API's French message, on the board as on the API", async () => {
    for (const [raw, message] of [
      ["20x9", /quatre chiffres/],
      ["1990", /hors de la période/],
    ] as const) {
      const onPage = await page.vilogia!.get(boardLoader, `/avenants?year=${raw}`);
      const byApi = await api.vilogia!.call(listLoader as never, `/api/v1/avenants?year=${raw}`);
      expect([onPage.status, byApi.status]).toEqual([400, 400]);
      expect(onPage.body.message).toMatch(message);
      expect(byApi.body.message).toBe(onPage.body.message);
    }
  });

  it("reads ?year= on /taux-negocies, and ?annee= from old links", async () => {
    const byYear = await page.vilogia!.get(ratesLoader, `/taux-negocies?year=${YEAR}`);
    const byAnnee = await page.vilogia!.get(ratesLoader, `/taux-negocies?annee=${YEAR}`);
    expect(byYear.body.year).toBe(YEAR);
    expect(byAnnee.body).toEqual(byYear.body);
    expect((await page.vilogia!.get(ratesLoader, "/taux-negocies?year=abcd")).status).toBe(400);
  });
});
