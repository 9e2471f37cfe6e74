import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { AttributionContext } from "~/domain/attribution";
import type { Actor } from "~/lib/actor.server";
import { ATTRIBUTION_CODES, ATTRIBUTION_COLUMNS, MAX_IMPORT_BYTES } from "~/lib/attribution-schemas";
import { DomainError, type DomainErrorKind } from "~/lib/domain-error";
import { type SheetRow, tableRows, toCsv, workbookXlsx } from "~/lib/spreadsheet.server";
import { TOO_LARGE } from "./attribution-file.server";
import type { AttributionError, InsertBatch } from "./attribution-rows.server";
import {
  AttributionRejection,
  contextFor,
  ensureCanRecord,
  insertAttributions,
  type RecordResult,
} from "./attributions.server";

/** Reads a request body up to the limit: 413 as soon as it is exceeded (announced length or bytes received). */
export async function readLimitedBody(
  request: Request,
  limit = MAX_IMPORT_BYTES,
): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(request.headers.get("content-length") ?? 0) > limit)
    throw new DomainError("too_large", TOO_LARGE);
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new DomainError("too_large", TOO_LARGE);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** What the import's worker thread is told: the file, then the context of the rules for its lease dates. */
export type ToWorker =
  | { type: "file"; bytes: Uint8Array; bailleurSlug: string }
  | { type: "context"; context: AttributionContext; createdBy: string };
/** What it answers: the lease dates to fetch the context for, then the rows to insert or the refusal. */
export type FromWorker =
  | { type: "leaseDates"; leaseDates: string[] }
  | { type: "checked"; batches: InsertBatch[] }
  | { type: "rejected"; errors: AttributionError[]; errorCount: number }
  | { type: "refused"; kind: DomainErrorKind; message: string; details: Record<string, unknown> };

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * The import's worker thread: the bundled one next to the built server (`npm run build` writes it), else its source
 * through tsx (tests, `npm run dev`).
 */
function startWorker(): Worker {
  const built = path.join(HERE, "attribution-import.worker.js");
  return new Worker(fs.existsSync(built) ? built : path.join(HERE, "attribution-import.worker.dev.mjs"));
}

/**
 * Reads and checks a file in a worker thread, asking `contextOf` for the rules' context of its lease dates; resolves
 * to the batches to insert, or rejects with the French refusal (400 with « ligne N, colonne X », 413).
 */
async function checkFileInWorker(
  bytes: Uint8Array,
  bailleurSlug: string,
  contextOf: (leaseDates: string[]) => Promise<{ context: AttributionContext; createdBy: string }>,
): Promise<InsertBatch[]> {
  const worker = startWorker();
  try {
    return await new Promise<InsertBatch[]>((resolve, reject) => {
      worker.on("error", reject);
      worker.on("exit", (code) =>
        reject(new Error(`Import : le fil de lecture s'est arrêté (code ${code}).`)),
      );
      worker.on("message", (message: FromWorker) => {
        if (message.type === "leaseDates")
          contextOf(message.leaseDates).then(
            (answer) => worker.postMessage({ type: "context", ...answer } satisfies ToWorker),
            reject,
          );
        else if (message.type === "checked") resolve(message.batches);
        else if (message.type === "rejected")
          reject(new AttributionRejection(message.errors, message.errorCount, true));
        else reject(new DomainError(message.kind, message.message, {}, message.details));
      });
      worker.postMessage({ type: "file", bytes, bailleurSlug } satisfies ToWorker);
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * Imports a file for the actor's organisation, all or nothing: read and checked in a worker thread (seconds of CPU
 * for 100 000 rows, while the server keeps answering), then inserted by `insertAttributions` in one transaction.
 */
export async function importAttributionFile(
  actor: Actor,
  bytes: Uint8Array,
  options: { now?: Date; onChunk?: (inserted: number) => void | Promise<void> } = {},
): Promise<RecordResult> {
  ensureCanRecord(actor);
  const now = options.now ?? new Date();
  const batches = await checkFileInWorker(bytes, actor.organisation.slug, async (leaseDates) => ({
    context: await contextFor(actor, now, leaseDates),
    createdBy: actor.user.id,
  }));
  return insertAttributions(actor, batches, { source: "import", onChunk: options.onChunk });
}

const TEMPLATE = {
  header: ATTRIBUTION_COLUMNS.map((c) => c.header),
  body: [ATTRIBUTION_COLUMNS.map((c) => c.example)],
};

/** The CSV template: French headers and one example row, `;` and a UTF-8 BOM for Excel. */
export const attributionTemplateCsv = () => toCsv(TEMPLATE);

/** The XLSX template: the same columns on a first sheet, the accepted codes and labels on a second one. */
export async function attributionTemplateXlsx(): Promise<Uint8Array<ArrayBuffer>> {
  const codes: SheetRow[] = [
    { bold: ["Colonne", "Code", "Libellé (accepté aussi)"] },
    ...ATTRIBUTION_CODES.flatMap(({ header, values }) =>
      values.map(([code, label]) => [header, code, label]),
    ),
    ["En QPV, PMR, Première mise en location", "oui / non", ""],
    ["Date du bail", "15/01/2025 ou 2025-01-15", "pas dans le futur"],
  ];
  return new Uint8Array(
    await workbookXlsx([
      { name: "Attributions", rows: tableRows(TEMPLATE), widths: TEMPLATE.header.map(() => 22) },
      { name: "Valeurs acceptées", rows: codes, widths: [30, 30, 30] },
    ]),
  );
}
