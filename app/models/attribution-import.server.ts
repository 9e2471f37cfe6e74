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
import { yieldToOthers } from "~/lib/yield.server";
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

/** UTF-16 (Excel's « Texte Unicode »): a byte-order mark, or a zero byte in every other place of the first line. */
const isUtf16 = (bytes: Uint8Array) =>
  (bytes[0] === 0xff && bytes[1] === 0xfe) ||
  (bytes[0] === 0xfe && bytes[1] === 0xff) ||
  (bytes.length >= 4 && (bytes[1] === 0 || bytes[0] === 0) && (bytes[3] === 0 || bytes[2] === 0));

async function csvTable(bytes: Uint8Array): Promise<Table> {
  if (isUtf16(bytes))
    throw httpError(
      400,
      "Fichier en UTF-16 (« Texte Unicode ») : enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) » ou en XLSX, puis importez-le à nouveau.",
    );
  const data = await new Promise<string[][]>((resolve, reject) => {
    const rows: string[][] = [];
    // Parsed by slices of 256 KB, other users' requests answered in between (8 MB of CSV is a second of CPU).
    Papa.parse<string[]>(decodeText(bytes), {
      delimitersToGuess: [";", ",", "\t"],
      skipEmptyLines: "greedy",
      chunkSize: 256 * 1024,
      chunk: (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
        for (const row of results.data) rows.push(row);
        parser.pause();
        void yieldToOthers().then(() => parser.resume());
      },
      complete: () => resolve(rows),
      error: reject,
    });
  });
  const [header = [], ...rest] = data;
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

/** The most an XLSX may hold once decompressed: about 80 000 rows of the template (a bigger file goes as CSV). */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024;

/**
 * The uncompressed size a ZIP (XLSX) declares for its entries, read from its central directory without inflating
 * anything; Infinity when it cannot be read or uses ZIP64. (A file declaring less than it holds is refused by
 * JSZip, which exceljs reads with, as its inflated size does not match.)
 */
export function zipUncompressedSize(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.byteLength - 22; i >= Math.max(0, bytes.byteLength - 65_557); i--)
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  if (end < 0) return Number.POSITIVE_INFINITY;
  const entries = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > bytes.byteLength || view.getUint32(offset, true) !== 0x02014b50)
      return Number.POSITIVE_INFINITY;
    const size = view.getUint32(offset + 24, true);
    if (size === 0xffffffff) return Number.POSITIVE_INFINITY;
    total += size;
    offset +=
      46 +
      view.getUint16(offset + 28, true) +
      view.getUint16(offset + 30, true) +
      view.getUint16(offset + 32, true);
  }
  return total;
}

async function xlsxTable(bytes: Uint8Array): Promise<Table> {
  const uncompressed = zipUncompressedSize(bytes);
  if (uncompressed > MAX_XLSX_UNCOMPRESSED_BYTES)
    throw httpError(
      413,
      Number.isFinite(uncompressed)
        ? `Classeur trop volumineux une fois décompressé (${Math.ceil(uncompressed / 1024 / 1024)} Mo, ${MAX_XLSX_UNCOMPRESSED_BYTES / 1024 / 1024} Mo au plus) : enregistrez-le en CSV (20 Mo au plus) ou découpez-le.`
        : "Classeur XLSX illisible : enregistrez-le à nouveau depuis Excel ou LibreOffice, ou envoyez un CSV.",
    );
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
  const table = isXlsx(bytes) ? await xlsxTable(bytes) : await csvTable(bytes);
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
