import type { attributions } from "#db/schema";
import {
  type AttributionContext,
  type AttributionFieldError,
  resolveAttribution,
} from "~/domain/attribution";
import { type attributionSchema, headerOf } from "~/lib/attribution-schemas";
import { YIELD_EVERY, yieldToOthers } from "~/lib/yield.server";

/**
 * The checks of a batch of attributions that need no database once its context is known: shared by the API's batch
 * (in the request) and the file import (in a worker thread, app/models/attribution-import.worker.ts).
 */

/** A rejected row: its position in the batch (0-based), or its line in a file, the field and a French message. */
export type AttributionError = AttributionFieldError & { index: number; line?: number; column?: string };

/** A rejection lists at most this many errors (the count says how many there were). */
export const MAX_ERRORS_SHOWN = 500;

export type PreparedAttribution = typeof attributions.$inferInsert;
export type ParsedAttribution = ReturnType<typeof attributionSchema.safeParse>;

/**
 * Checks every parsed row (shape, then rules, then duplicates inside the batch) and returns the rows to insert, or every
 * error. `lineOf` turns a row's index into its line in a file, so messages read "ligne N, colonne X : …".
 */
export async function checkAttributions(
  parsedRows: readonly ParsedAttribution[],
  context: AttributionContext,
  createdBy: string,
  lineOf?: (index: number) => number,
): Promise<{ rows: PreparedAttribution[]; errors: AttributionError[] }> {
  const rows: PreparedAttribution[] = [];
  const errors: AttributionError[] = [];
  const seen = new Map<string, number>();
  const where = (index: number) => (lineOf ? `la ligne ${lineOf(index)}` : `l'attribution n° ${index}`);
  const fail = (index: number, e: AttributionFieldError) => {
    const column = headerOf(e.field);
    errors.push(
      lineOf
        ? {
            index,
            line: lineOf(index),
            column,
            field: e.field,
            message: `ligne ${lineOf(index)}, colonne « ${column} » : ${e.message}`,
          }
        : { index, ...e },
    );
  };
  for (const [index, parsed] of parsedRows.entries()) {
    // Checking 100 000 rows takes seconds of CPU: other users' requests are answered in between.
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToOthers();
    if (!parsed.success) {
      const fields = new Set<string>();
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "form");
        if (!fields.has(field)) fail(index, { field, message: issue.message });
        fields.add(field);
      }
      continue;
    }
    const input = parsed.data;
    const resolved = resolveAttribution(input, context);
    if (!resolved.ok) {
      for (const e of resolved.errors) fail(index, e);
      continue;
    }
    // The natural key inside one batch: the same lease twice is an error, not a silent merge.
    const key = `${input.numeroUnique}|${input.leaseDate}`;
    const first = seen.get(key);
    if (first !== undefined) {
      fail(index, {
        field: "numeroUnique",
        message: `attribution en double : même numéro unique et même date de bail que ${where(first)}. Une attribution ne compte qu'une fois.`,
      });
      continue;
    }
    seen.set(key, index);
    const { bailleurSlug: _b, ...fields } = input;
    rows.push({
      ...fields,
      contingent: resolved.value.contingent,
      bailleurId: resolved.value.bailleurId,
      reservataireId: resolved.value.reservataireId,
      countsOnRights: resolved.value.countsOnRights,
      createdBy,
    });
  }
  return { rows, errors };
}

/** The valid lease dates of parsed rows: the years whose contingents the context needs. */
export const leaseDatesOf = (parsed: readonly ParsedAttribution[]) =>
  new Set(parsed.flatMap((p) => (p.success ? [p.data.leaseDate] : [])));

/** Rows per INSERT statement (one JSON parameter each). */
const CHUNK = 5000;

/** Checked rows as the insert reads them: JSON of the rows and of their natural keys, `count` rows per batch. */
export type InsertBatch = { rows: string; keys: string; count: number };

/** Cuts checked rows into insert batches (done where they were checked: a worker thread for a file). */
export function insertBatches(rows: readonly PreparedAttribution[]): InsertBatch[] {
  const batches: InsertBatch[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    batches.push({
      rows: JSON.stringify(chunk),
      keys: JSON.stringify(chunk.map((r) => ({ n: r.numeroUnique, d: r.leaseDate }))),
      count: chunk.length,
    });
  }
  return batches;
}
