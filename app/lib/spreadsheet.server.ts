import ExcelJS from "exceljs";
import Papa from "papaparse";

type Cell = string | number | null;

/** A table to export: a header row and the data rows, already in French; `notes` are lines under it (a source). */
export type ExportTable = { header: string[]; body: Cell[][]; notes?: string[] };

/**
 * A cell Excel or LibreOffice would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first: a
 * programme named `=HYPERLINK(…)`) is kept as text with a leading `'`, as OWASP advises. A number is left alone,
 * written as one (`-3`, `12,5`) or not.
 */
export function neutraliseFormula(cell: Cell): Cell {
  if (typeof cell !== "string" || !/^[=+\-@\t\r]/.test(cell) || /^[-+]?\d+([.,]\d+)?$/.test(cell))
    return cell;
  return `'${cell}`;
}

/**
 * CSV for Excel: `;` separator and a UTF-8 BOM; every export goes through here, cells neutralised. Each note is one
 * quoted cell after a blank line: a « ; » in it (a rectificatif's reason) cannot open a cell of its own.
 */
export function toCsv(table: ExportTable): string {
  const data = table.body.map((row) => row.map(neutraliseFormula));
  const fields = table.header.map((name) => String(neutraliseFormula(name)));
  const notes = (table.notes ?? []).map((note) => [neutraliseFormula(note)]);
  const under = notes.length ? `\r\n\r\n${Papa.unparse(notes, { delimiter: ";" })}\r\n` : "";
  return `\uFEFF${Papa.unparse({ fields, data }, { delimiter: ";" })}${under}`;
}

/** A row of a sheet: its cells (`[]` a blank line), or `{ bold }` for a title, a header or a total. */
export type SheetRow = Cell[] | { bold: Cell[] };

/** A named sheet: its rows top to bottom and the widths of its first columns (Excel's unit, a character). */
export type Sheet = { name: string; rows: SheetRow[]; widths: number[] };

/** A table's rows in a sheet: the header in bold, the data, then its notes under a blank line. */
export function tableRows(table: ExportTable): SheetRow[] {
  const notes = table.notes?.length ? [[], ...table.notes.map((note) => [note])] : [];
  return [{ bold: table.header }, ...table.body, ...notes];
}

/** An XLSX workbook, one sheet after the other; every export goes through here, cells neutralised. */
export async function workbookXlsx(sheets: Sheet[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const { name, rows, widths } of sheets) {
    const sheet = workbook.addWorksheet(name);
    for (const row of rows) {
      if (Array.isArray(row)) sheet.addRow(row.map(neutraliseFormula));
      else sheet.addRow(row.bold.map(neutraliseFormula)).font = { bold: true };
    }
    widths.forEach((width, index) => {
      sheet.getColumn(index + 1).width = width;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** An XLSX workbook of one sheet named `sheetName`: the table, its notes under it. */
export async function toXlsx(table: ExportTable, sheetName: string): Promise<Uint8Array<ArrayBuffer>> {
  const widths = table.header.map(() => 20);
  return new Uint8Array(await workbookXlsx([{ name: sheetName, rows: tableRows(table), widths }]));
}

/** The table as a CSV download named `filename` (without extension). */
export function csvResponse(table: ExportTable, filename: string): Response {
  return new Response(toCsv(table), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}.csv"`,
    },
  });
}

/** The table as an XLSX download named `filename` (without extension), one sheet named `sheetName`. */
export async function xlsxResponse(
  table: ExportTable,
  filename: string,
  sheetName: string,
): Promise<Response> {
  return new Response(await toXlsx(table, sheetName), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="${filename}.xlsx"`,
    },
  });
}
