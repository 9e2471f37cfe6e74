import ExcelJS from "exceljs";
import Papa from "papaparse";

/** A table to export: a header row and the data rows, already in French; `notes` are lines under it (a source). */
export type ExportTable = { header: string[]; body: Array<Array<string | number | null>>; notes?: string[] };

/**
 * A cell Excel or LibreOffice would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first: a
 * programme named `=HYPERLINK(…)`) is kept as text with a leading `'`, as OWASP advises. A number is left alone,
 * written as one (`-3`, `12,5`) or not.
 */
export function neutraliseFormula(cell: string | number | null): string | number | null {
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

/** An XLSX workbook of one sheet named `sheetName`, header in bold. */
export async function toXlsx(table: ExportTable, sheetName: string): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(table.header).font = { bold: true };
  for (const row of table.body) sheet.addRow(row);
  sheet.columns.forEach((column) => {
    column.width = 20;
  });
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
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
