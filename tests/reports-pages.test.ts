import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { CONSUMPTION_PAGE_ROWS } from "~/lib/report-schemas";
import { type ConsumptionRow, consumptionPage as consumptionPageOf } from "~/models/reports.server";
import { loader as consumptionPage } from "~/routes/_app.consommation";
import { loader as indicatorsPage } from "~/routes/_app.indicateurs";
import { loader as consumptionCsv } from "~/routes/consommation.export[.csv]";
import { loader as indicatorsCsv } from "~/routes/indicateurs.export[.csv]";
import { loader as indicatorsXlsx } from "~/routes/indicateurs.export[.xlsx]";
import { insertAttributions, times } from "./helpers/attributions";
import { browserOf } from "./helpers/cycle";
import { actorOf, createUser, organisation } from "./helpers/fixtures";

/** The /consommation and /indicateurs pages and their exports: same policy, filters and masking as the API. */
let vilogia: Awaited<ReturnType<typeof browserOf>>;
let lille: Awaited<ReturnType<typeof browserOf>>;
let vilogiaId: string;

beforeAll(async () => {
  const [mel, vilogiaOrg, lmh] = [
    await organisation("mel"),
    await organisation("vilogia"),
    await organisation("lille-metropole-habitat"),
  ];
  vilogiaId = vilogiaOrg.id;
  vilogia = await browserOf(await createUser("vilogia", ["lecteur"]));
  lille = await browserOf(await createUser("commune-59350", ["lecteur"]));
  await insertAttributions([
    ...times(6, {
      bailleurId: vilogiaOrg.id,
      contingent: "mel" as const,
      reservataireId: mel.id,
      typology: "T5" as const,
    }),
    ...times(2, {
      bailleurId: lmh.id,
      contingent: "mel" as const,
      reservataireId: mel.id,
      communeInsee: "59512",
    }),
  ]);
});

describe("consumption page", () => {
  it("shows a bailleur its own flux and exports it as CSV for Excel", async () => {
    const page = await vilogia.get(consumptionPage, "/consommation?year=2025");
    expect(page.status).toBe(200);
    const rows = page.body.rows as Array<{
      bailleur: { id: string };
      reservataire: { name: string };
      counted: number;
    }>;
    expect(rows.every((r) => r.bailleur.id === vilogiaId)).toBe(true);
    expect(rows.find((r) => r.reservataire.name === "Métropole Européenne de Lille")?.counted).toBe(6);
    const csv = await vilogia.raw(consumptionCsv, "/consommation/export.csv?year=2025");
    expect(csv.headers.get("content-disposition")).toContain("consommation-2025.csv");
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, for Excel
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("Réservataire;Bailleur;Droits;Origine des droits")).toBe(true);
    expect(text).not.toContain("Lille Métropole Habitat");
  });

  it("refuses a year that is not one, and a page that is not one", async () => {
    expect((await vilogia.get(consumptionPage, "/consommation?year=20255")).status).toBe(400);
    const refused = await vilogia.get(consumptionPage, "/consommation?year=2025&page=0");
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("Page invalide");
  });

  it("pages a long report, with each réservataire's sub-totals and the states counted over every page", async () => {
    const mel = await createUser("mel", ["lecteur"]);
    const page = await browserOf(mel);
    const whole = await page.get(consumptionPage, "/consommation?year=2025&empty=1");
    expect(whole.status).toBe(200);
    // Every pair of the convention cadre (56 here) fits in one page of the site…
    expect(whole.body).toMatchObject({ page: 1, pageCount: 1 });
    const total = (whole.body.rows as unknown[]).length;
    expect(total).toBeLessThanOrEqual(CONSUMPTION_PAGE_ROWS);
    // …and pages of 10 show them all, each once, in the report's order.
    const actor = await actorOf(mel);
    const query = { year: 2025, empty: true };
    const read = (n: number) => consumptionPageOf(actor, query, { page: n, rowsPerPage: 10 });
    const first = await read(1);
    expect(first).toMatchObject({ total, page: 1, pageCount: Math.ceil(total / 10) });
    const pages = [first];
    for (let n = 2; n <= first.pageCount; n++) pages.push(await read(n));
    const key = (r: { reservataire: { slug: string }; bailleur: { slug: string } }) =>
      `${r.reservataire.slug}|${r.bailleur.slug}`;
    expect(pages.flatMap((p) => p.rows).map(key)).toEqual((whole.body.rows as ConsumptionRow[]).map(key));
    // The states are counted over every page; a réservataire cut by a page break keeps its sub-total.
    expect(Object.values(first.states).reduce((a, b) => a + b, 0)).toBe(total);
    const melRows = (whole.body.rows as ConsumptionRow[]).filter((r) => r.reservataire.slug === "mel");
    expect(pages.filter((p) => p.groupTotals.mel).length).toBeGreaterThan(1);
    for (const p of pages.filter((p) => p.groupTotals.mel))
      expect(p.groupTotals.mel).toMatchObject({ bailleurs: melRows.length, counted: 8 });
    // Past the last page: the last.
    expect((await read(first.pageCount + 5)).page).toBe(first.pageCount);
  });
});

describe("indicators page", () => {
  it("shows a commune its territory, filters by bailleur and exports XLSX", async () => {
    const page = await lille.get(indicatorsPage, "/indicateurs?year=2025");
    expect(page.status).toBe(200);
    const report = page.body.report as {
      byCommune: Array<{ communeInsee: string; total: unknown; t4plus: unknown }>;
    };
    // Lille sees its territory only; 6 attributions, all T5 (≥ 5, shown); Roubaix's 2 are not there.
    expect(report.byCommune).toEqual([
      expect.objectContaining({ communeInsee: "59350", total: 6, t4plus: 6 }),
    ]);
    const xlsx = await lille.raw(indicatorsXlsx, `/indicateurs/export.xlsx?year=2025&bailleur=${vilogiaId}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe("Contingent");
    // Shown to a commune: every count below 5 (zeros included) reads « < 5 ».
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      "MEL",
      "Autres demandes",
      6,
      6,
      "< 5",
      "< 5",
      "< 5",
      "< 5",
    ]);
  });

  it("masks a commune's small counts in the exports as on the page", async () => {
    const csv = await (await lille.raw(indicatorsCsv, "/indicateurs/export.csv?year=2025")).text();
    expect(csv).toContain("< 5");
    expect(csv).not.toContain("59512");
  });
});
