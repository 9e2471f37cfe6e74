import ExcelJS from "exceljs";
import Papa from "papaparse";

/** A table to export: a header row and the data rows, already in French. */
export type ExportTable = { header: string[]; body: Array<Array<string | number>> };

/** CSV for Excel: `;` separator and a UTF-8 BOM. */
export function toCsv(table: ExportTable): string {
  return `\uFEFF${Papa.unparse({ fields: table.header, data: table.body }, { delimiter: ";" })}`;
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
