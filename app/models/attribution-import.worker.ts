import { parentPort } from "node:worker_threads";
import type { AttributionContext } from "~/domain/attribution";
import { attributionSchema } from "~/lib/attribution-schemas";
import { DomainError } from "~/lib/domain-error";
import { readAttributionFile } from "./attribution-file.server";
import type { FromWorker, ToWorker } from "./attribution-import.server";
import {
  checkAttributions,
  insertBatches,
  leaseDatesOf,
  MAX_ERRORS_SHOWN,
  type ParsedAttribution,
} from "./attribution-rows.server";

/**
 * The CPU half of a file import, off the server's main thread (issue 14: a 100 000-row file held every user up for
 * seconds): reads the file and checks its rows, then hands back the rows ready to insert, or the refusal. The
 * database half (the context of the rules, the insert) stays in the request (`importAttributionFile`).
 */
const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);

let parsed: ParsedAttribution[] = [];
let lines: number[] = [];

port.on("message", async (message: ToWorker) => {
  try {
    if (message.type === "file") {
      const file = await readAttributionFile(message.bytes);
      lines = file.lines;
      parsed = file.rows.map((row) =>
        attributionSchema.safeParse({ ...row, bailleurSlug: message.bailleurSlug }),
      );
      send({ type: "leaseDates", leaseDates: [...leaseDatesOf(parsed)] });
      return;
    }
    const { rows, errors } = await checkAttributions(
      parsed,
      message.context as AttributionContext,
      message.createdBy,
      (index) => lines[index] ?? index + 2,
    );
    send(
      errors.length > 0
        ? { type: "rejected", errors: errors.slice(0, MAX_ERRORS_SHOWN), errorCount: errors.length }
        : { type: "checked", batches: insertBatches(rows) },
    );
  } catch (error) {
    // A refusal of the file (invalid, too large) crosses back as plain data: a thread does not pass classes.
    if (!(error instanceof DomainError)) throw error;
    send({ type: "refused", kind: error.kind, message: error.message, details: error.details });
  }
});
