import { db } from "#db/client.server";
import { attributions } from "#db/schema";
import { countsOnRights } from "~/domain/attribution";

/**
 * Inserts attributions straight into the table (the recording half of issue 5 has its own tests): every field has a
 * plain default; `countsOnRights` follows the convention (`countsOnRights` of the domain).
 */
type Row = typeof attributions.$inferInsert;
let sequence = 0;

export async function insertAttributions(
  rows: Array<Partial<Row> & Pick<Row, "bailleurId" | "contingent" | "reservataireId">>,
) {
  if (rows.length === 0) return [];
  return db
    .insert(attributions)
    .values(
      rows.map((row) => {
        sequence += 1;
        const publicCategory = row.publicCategory ?? "autre";
        const transfer = row.transfer ?? "none";
        return {
          numeroUnique: `0592501${String(sequence).padStart(5, "0")}A`,
          leaseDate: "2025-06-01",
          communeInsee: "59350",
          qpv: false,
          typology: "T3" as const,
          financing: "plus" as const,
          pmr: false,
          firstLetting: false,
          constructionPeriod: "1975_1989" as const,
          incomeQuartile: 2,
          refusalsAfterCaleol: 0,
          countsOnRights: countsOnRights({
            contingent: row.contingent,
            publicCategory,
            transfer,
            rehousing: row.rehousing ?? "none",
          }),
          ...row,
          publicCategory,
          transfer,
        };
      }),
    )
    .returning();
}

/** `n` copies of a row. */
export const times = <T>(n: number, row: T): T[] => Array.from({ length: n }, () => ({ ...row }));

let serial = 0;
/** One attribution as a bailleur sends it (API, form or file): plain values, each with a new numéro unique. */
export const attributionInput = (over: Record<string, unknown> = {}) => ({
  numeroUnique: `059 2401 ${String(10000 + ++serial)} A`,
  leaseDate: "2025-03-14",
  bailleurSlug: "vilogia",
  communeInsee: "59350",
  qpv: false,
  typology: "T3",
  financing: "plus",
  pmr: false,
  firstLetting: false,
  constructionPeriod: "1975_1989",
  publicCategory: "autre",
  transfer: "none",
  incomeQuartile: 2,
  refusalsAfterCaleol: 0,
  contingent: "mel",
  ...over,
});
