import { beforeAll, describe, expect, it } from "vitest";
import { loader as listLoader } from "~/routes/_app.attributions._index";
import { action as importAction, loader as importLoader } from "~/routes/_app.attributions.import";
import { action as formAction, loader as formLoader } from "~/routes/_app.attributions.nouvelle";
import { loader as csvTemplate } from "~/routes/attributions.modele[.csv]";
import { browserOf } from "./helpers/cycle";
import { createUser } from "./helpers/fixtures";

type Browser = Awaited<ReturnType<typeof browserOf>>;
let gestionnaire: Browser;
let commune: Browser;

const form = (over: Record<string, string> = {}) => ({
  numeroUnique: "059 2403 55555 C",
  leaseDate: "2025-04-02",
  communeInsee: "59350",
  qpv: "non",
  typology: "T4",
  financing: "plai",
  pmr: "oui",
  firstLetting: "non",
  constructionPeriod: "2005_2014",
  publicCategory: "cible_cia_declaree",
  transfer: "none",
  incomeQuartile: "",
  refusalsAfterCaleol: "1",
  contingent: "mel",
  ...over,
});

beforeAll(async () => {
  gestionnaire = await browserOf(await createUser("lille-metropole-habitat", ["gestionnaire"]));
  commune = await browserOf(await createUser("commune-59350", ["gestionnaire"]));
});

describe("the form to record one attribution", () => {
  it("records it, then says it was already known, and names a wrong field in French", async () => {
    expect((await gestionnaire.get(formLoader, "/attributions/nouvelle")).status).toBe(200);
    const first = await gestionnaire.post(formAction, "/attributions/nouvelle", form());
    expect(first.body).toMatchObject({ ok: true, message: "Attribution enregistrée." });
    const again = await gestionnaire.post(formAction, "/attributions/nouvelle", form());
    expect(again.body.message).toMatch(/déjà enregistrée : rien n'a changé/);
    const wrong = await gestionnaire.post(
      formAction,
      "/attributions/nouvelle",
      form({ numeroUnique: "059 2403 55556 C", communeInsee: "59000", contingent: "sicf" }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual({
      communeInsee: expect.stringMatching(/Commune 59000 inconnue/),
      contingent: expect.stringMatching(/La SICF ne réserve que chez ICF Habitat Nord-Est/),
    });
  });

  it("is not for a commune (403)", async () => {
    expect((await commune.get(formLoader, "/attributions/nouvelle")).status).toBe(403);
    expect((await commune.post(formAction, "/attributions/nouvelle", form())).status).toBe(403);
  });
});

describe("the import page (without JavaScript: a multipart form)", () => {
  const upload = (who: Browser, content: string) => {
    const body = new FormData();
    body.set("file", new File([content], "attributions.csv", { type: "text/csv" }));
    return who.post(importAction, "/attributions/import", body);
  };

  it("imports the template's example row and shows the summary, or the French list of errors", async () => {
    expect((await gestionnaire.get(importLoader, "/attributions/import")).status).toBe(200);
    const response = await gestionnaire.raw(csvTemplate, "/attributions/modele.csv");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, for Excel
    const template = new TextDecoder().decode(bytes);
    expect(template.startsWith("Numéro unique;Date du bail;")).toBe(true);
    expect(await upload(gestionnaire, template)).toEqual({
      status: 200,
      body: { ok: true, received: 1, created: 1, alreadyKnown: 0 },
    });
    const refused = await upload(gestionnaire, template.replace(";mel", ";sicf"));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      ok: false,
      errors: [
        expect.objectContaining({
          message: expect.stringMatching(/^ligne 2, colonne « Contingent » : La SICF/),
        }),
      ],
    });
  });

  it("refuses a commune, and an envoi without a file", async () => {
    expect((await commune.get(importLoader, "/attributions/import")).status).toBe(403);
    const empty = await gestionnaire.post(importAction, "/attributions/import", new FormData());
    expect(empty).toMatchObject({
      status: 400,
      body: { ok: false, message: expect.stringMatching(/Choisissez un fichier/) },
    });
  });

  it("lists what was imported for the bailleur, and only its territory's MEL rows for the commune", async () => {
    const mine = await gestionnaire.get(listLoader, "/attributions?year=2025");
    expect((mine.body.attributions as unknown[]).length).toBe(2);
    const lille = await commune.get(listLoader, "/attributions");
    const rows = lille.body.attributions as Array<{ communeInsee: string; contingent: string }>;
    expect(rows.length).toBe(2);
    expect(rows.every((a) => a.communeInsee === "59350" && a.contingent === "mel")).toBe(true);
  });
});
