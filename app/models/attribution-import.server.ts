import ExcelJS from "exceljs";
import Papa from "papaparse";
import type { Actor } from "~/lib/actor.server";
import {
  ATTRIBUTION_CODES,
  ATTRIBUTION_COLUMNS,
  fold,
  MAX_BATCH_ROWS,
  MAX_IMPORT_BYTES,
} from "~/lib/attribution-schemas";
import { httpError } from "~/lib/http.server";
import { toCsv } from "~/lib/spreadsheet.server";
import { type RecordResult, recordAttributions } from "./attributions.server";

const TOO_LARGE = `Fichier trop volumineux : ${MAX_IMPORT_BYTES / 1024 / 1024} Mo au plus. Découpez-le (par exemple par trimestre) et importez chaque partie.`;

/** Reads a request body up to the limit: 413 as soon as it is exceeded (announced length or bytes received). */
export async function readLimitedBody(
  request: Request,
  limit = MAX_IMPORT_BYTES,
): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) throw httpError(413, TOO_LARGE);
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw httpError(413, TOO_LARGE);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** UTF-8 when the bytes are valid UTF-8 (BOM removed), Windows-1252 otherwise (Excel's "CSV" on a French Windows). */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

type Table = { header: string[]; rows: Array<{ line: number; cells: unknown[] }> };

function csvTable(bytes: Uint8Array): Table {
  const parsed = Papa.parse<string[]>(decodeText(bytes), {
    delimitersToGuess: [";", ",", "\t"],
    skipEmptyLines: "greedy",
  });
  const [header = [], ...rest] = parsed.data;
  // Lines as a spreadsheet shows them: the header is line 1 (a quoted value spanning lines is rare in these files).
  return { header, rows: rest.map((cells, i) => ({ line: i + 2, cells })) };
}

function cellValue(value: ExcelJS.CellValue): unknown {
  if (value === null || value === undefined || value instanceof Date) return value;
  if (typeof value !== "object") return value;
  if ("result" in value) return value.result;
  if ("richText" in value) return value.richText.map((t) => t.text).join("");
  if ("text" in value) return value.text;
  return String(value);
}

async function xlsxTable(bytes: Uint8Array): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw httpError(
      400,
      "Classeur XLSX illisible : enregistrez-le à nouveau depuis Excel ou LibreOffice, ou envoyez un CSV.",
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { header: [], rows: [] };
  const table: Table = { header: [], rows: [] };
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: unknown[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellValue(cell.value);
    });
    if (line === 1) table.header = cells.map((c) => String(c ?? ""));
    else if (cells.some((c) => c !== undefined && c !== null && String(c).trim() !== ""))
      table.rows.push({ line, cells });
  });
  return table;
}

const isXlsx = (bytes: Uint8Array) =>
  bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/**
 * The rows of an import file (CSV with `;` or `,`, UTF-8 or Windows-1252, or XLSX, first sheet), as objects keyed by
 * field, with their line numbers. Headers are matched without case, accents nor punctuation, by French header or
 * field name. Missing columns are named (400), nothing else is read.
 */
export async function readAttributionFile(bytes: Uint8Array) {
  if (bytes.byteLength === 0) throw httpError(400, "Le fichier est vide : partez du modèle à télécharger.");
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw httpError(413, TOO_LARGE);
  const table = isXlsx(bytes) ? await xlsxTable(bytes) : csvTable(bytes);
  const positions = new Map(table.header.map((h, i) => [fold(String(h)), i]));
  const indexOf = (c: (typeof ATTRIBUTION_COLUMNS)[number]) =>
    positions.get(fold(c.header)) ?? positions.get(fold(c.field));
  const missing = ATTRIBUTION_COLUMNS.filter((c) => !c.optional && indexOf(c) === undefined);
  if (missing.length > 0)
    throw httpError(
      400,
      `Colonne${missing.length > 1 ? "s" : ""} manquante${missing.length > 1 ? "s" : ""} : ${missing.map((c) => `« ${c.header} »`).join(", ")}. La première ligne du fichier doit reprendre les en-têtes du modèle (séparateur « ; » ou « , »).`,
      {
        errors: missing.map((c) => ({
          line: 1,
          column: c.header,
          field: c.field,
          message: `ligne 1, colonne « ${c.header} » : colonne absente.`,
        })),
      },
    );
  if (table.rows.length === 0)
    throw httpError(400, "Le fichier ne contient aucune attribution sous la ligne d'en-têtes.");
  if (table.rows.length > MAX_BATCH_ROWS)
    throw httpError(413, `${MAX_BATCH_ROWS} attributions au plus par fichier : découpez-le.`);
  const columns = ATTRIBUTION_COLUMNS.map((c) => [c.field, indexOf(c)] as const);
  return {
    lines: table.rows.map((r) => r.line),
    rows: table.rows.map(({ cells }) =>
      Object.fromEntries(columns.map(([field, i]) => [field, i === undefined ? undefined : cells[i]])),
    ),
  };
}

/** Imports a file for the actor's organisation, all or nothing (see `recordAttributions`). */
export async function importAttributionFile(
  actor: Actor,
  bytes: Uint8Array,
  options: { now?: Date; onChunk?: (inserted: number) => void | Promise<void> } = {},
): Promise<RecordResult> {
  const { rows, lines } = await readAttributionFile(bytes);
  return recordAttributions(
    actor,
    rows.map((row) => ({ ...row, bailleurSlug: actor.organisation.slug })),
    { ...options, source: "import", lineOf: (index) => lines[index] ?? index + 2 },
  );
}

const TEMPLATE = {
  header: ATTRIBUTION_COLUMNS.map((c) => c.header),
  body: [ATTRIBUTION_COLUMNS.map((c) => c.example)],
};

/** The CSV template: French headers and one example row, `;` and a UTF-8 BOM for Excel. */
export const attributionTemplateCsv = () => toCsv(TEMPLATE);

/** The XLSX template: the same columns on a first sheet, the accepted codes and labels on a second one. */
export async function attributionTemplateXlsx(): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Attributions");
  sheet.addRow(TEMPLATE.header).font = { bold: true };
  sheet.addRow(TEMPLATE.body[0]);
  sheet.columns.forEach((column) => {
    column.width = 22;
  });
  const codes = workbook.addWorksheet("Valeurs acceptées");
  codes.addRow(["Colonne", "Code", "Libellé (accepté aussi)"]).font = { bold: true };
  for (const { header, values } of ATTRIBUTION_CODES)
    for (const [code, label] of values) codes.addRow([header, code, label]);
  codes.addRow(["En QPV, PMR, Première mise en location", "oui / non", ""]);
  codes.addRow(["Date du bail", "15/01/2025 ou 2025-01-15", "pas dans le futur"]);
  codes.columns.forEach((column) => {
    column.width = 30;
  });
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}
