import ExcelJS from "exceljs";
import Papa from "papaparse";
import { ATTRIBUTION_COLUMNS, fold, MAX_BATCH_ROWS, MAX_IMPORT_BYTES } from "~/lib/attribution-schemas";
import { DomainError } from "~/lib/domain-error";

/**
 * Reading an import file into rows (CSV or XLSX): seconds of CPU for a big file, run in a worker thread
 * (app/models/attribution-import.worker.ts), so it needs no database.
 */

export const TOO_LARGE = `Fichier trop volumineux : ${MAX_IMPORT_BYTES / 1024 / 1024} Mo au plus. Découpez-le (par exemple par trimestre) et importez chaque partie.`;

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

function csvTable(bytes: Uint8Array): Table {
  if (isUtf16(bytes))
    throw new DomainError(
      "invalid",
      "Fichier en UTF-16 (« Texte Unicode ») : enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) » ou en XLSX, puis importez-le à nouveau.",
    );
  const { data } = Papa.parse<string[]>(decodeText(bytes), {
    delimitersToGuess: [";", ",", "\t"],
    skipEmptyLines: "greedy",
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
    throw new DomainError(
      "too_large",
      Number.isFinite(uncompressed)
        ? `Classeur trop volumineux une fois décompressé (${Math.ceil(uncompressed / 1024 / 1024)} Mo, ${MAX_XLSX_UNCOMPRESSED_BYTES / 1024 / 1024} Mo au plus) : enregistrez-le en CSV (20 Mo au plus) ou découpez-le.`
        : "Classeur XLSX illisible : enregistrez-le à nouveau depuis Excel ou LibreOffice, ou envoyez un CSV.",
    );
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new DomainError(
      "invalid",
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
  if (bytes.byteLength === 0)
    throw new DomainError("invalid", "Le fichier est vide : partez du modèle à télécharger.");
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw new DomainError("too_large", TOO_LARGE);
  const table = isXlsx(bytes) ? await xlsxTable(bytes) : csvTable(bytes);
  const positions = new Map(table.header.map((h, i) => [fold(String(h)), i]));
  const indexOf = (c: (typeof ATTRIBUTION_COLUMNS)[number]) =>
    positions.get(fold(c.header)) ?? positions.get(fold(c.field));
  const missing = ATTRIBUTION_COLUMNS.filter((c) => !c.optional && indexOf(c) === undefined);
  if (missing.length > 0)
    throw new DomainError(
      "invalid",
      `Colonne${missing.length > 1 ? "s" : ""} manquante${missing.length > 1 ? "s" : ""} : ${missing.map((c) => `« ${c.header} »`).join(", ")}. La première ligne du fichier doit reprendre les en-têtes du modèle (séparateur « ; » ou « , »).`,
      {},
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
    throw new DomainError("invalid", "Le fichier ne contient aucune attribution sous la ligne d'en-têtes.");
  if (table.rows.length > MAX_BATCH_ROWS)
    throw new DomainError("too_large", `${MAX_BATCH_ROWS} attributions au plus par fichier : découpez-le.`);
  const columns = ATTRIBUTION_COLUMNS.map((c) => [c.field, indexOf(c)] as const);
  return {
    lines: table.rows.map((r) => r.line),
    rows: table.rows.map(({ cells }) =>
      Object.fromEntries(columns.map(([field, i]) => [field, i === undefined ? undefined : cells[i]])),
    ),
  };
}
