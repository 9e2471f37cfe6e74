import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import {
  assiettePublications,
  attributions,
  avenants,
  forecasts,
  negotiatedRates,
  organisations,
  reportChanges,
} from "#db/schema";
import { cachedReport, foldReportChanges, reportDataVersion } from "~/models/report-cache.server";
import { loader as consumptionApi } from "~/routes/api.v1.reports.consumption";
import { loader as indicatorsApi } from "~/routes/api.v1.reports.indicators";
import { insertAttributions } from "./helpers/attributions";
import { apiOf } from "./helpers/cycle";
import { createUser, organisation, type TestUser } from "./helpers/fixtures";

/**
 * The reports' bodies are computed once per state of their data: a reader never gets figures older than the
 * changes committed before its request.
 */
type Org = Awaited<ReturnType<typeof organisation>>;
let mel: Org;
let als: Org;
let vilogia: Org;
let melReader: TestUser;

beforeAll(async () => {
  mel = await organisation("mel");
  als = await organisation("action-logement");
  vilogia = await organisation("vilogia");
  melReader = await createUser("mel", ["lecteur"]);
});

type Row = { reservataire: { id: string }; bailleur: { id: string }; counted: number };
async function melOnVilogia(): Promise<number> {
  const { call } = await apiOf(melReader);
  const { status, body } = await call(consumptionApi, "/api/v1/reports/consumption?year=2025");
  expect(status).toBe(200);
  const rows = body as unknown as Row[];
  return rows.find((r) => r.reservataire.id === mel.id && r.bailleur.id === vilogia.id)?.counted ?? 0;
}

describe("report cache", () => {
  it("serves the figures of every change committed before the request, even right after a read", async () => {
    const onMel = { bailleurId: vilogia.id, contingent: "mel" as const, reservataireId: mel.id };
    await insertAttributions([onMel, onMel]);
    expect(await melOnVilogia()).toBe(2);
    expect(await melOnVilogia()).toBe(2);
    await insertAttributions([onMel]);
    expect(await melOnVilogia()).toBe(3);
    await db.delete(attributions).where(eq(attributions.bailleurId, vilogia.id));
    expect(await melOnVilogia()).toBe(0);

    const { call } = await apiOf(melReader);
    const before = await call(indicatorsApi, "/api/v1/reports/indicators?year=2025");
    await insertAttributions([onMel]);
    const after = await call(indicatorsApi, "/api/v1/reports/indicators?year=2025");
    expect(JSON.stringify(after.body)).not.toBe(JSON.stringify(before.body));
  });

  it("counts a change on each table the reports read, for the years of its rows", async () => {
    // Each change touches 2031's data only (organisations: every year's, since every report shows their names).
    const changes: Array<[string, () => Promise<unknown>]> = [
      [
        "attributions",
        () =>
          insertAttributions([
            { bailleurId: vilogia.id, contingent: "none", reservataireId: null, leaseDate: "2031-02-01" },
          ]),
      ],
      [
        "avenants",
        () =>
          db.insert(avenants).values({
            reservataireId: mel.id,
            bailleurId: vilogia.id,
            year: 2031,
            rateBp: 2000,
            fluxH: 100,
            rights: 20,
            status: "draft",
          }),
      ],
      [
        "forecasts",
        () =>
          db.insert(forecasts).values({
            bailleurId: vilogia.id,
            year: 2031,
            a: 100,
            b: 0,
            c: 0,
            d: 0,
            e: 0,
            f: 0,
            g: 0,
            status: "validated",
          }),
      ],
      [
        "assiette_publications",
        () => db.insert(assiettePublications).values({ year: 2031, publishedAt: new Date() }),
      ],
      [
        "negotiated_rates",
        () =>
          db
            .insert(negotiatedRates)
            .values({ reservataireId: als.id, bailleurId: vilogia.id, year: 2031, rateBp: 900 }),
      ],
      [
        "organisations",
        () => db.update(organisations).set({ name: "Vilogia SA" }).where(eq(organisations.id, vilogia.id)),
      ],
    ];
    for (const [table, change] of changes) {
      const [before2031, before2030] = [await reportDataVersion(2031), await reportDataVersion(2030)];
      await change();
      const [after2031, after2030] = [await reportDataVersion(2031), await reportDataVersion(2030)];
      expect({ table, moved2031: after2031 > before2031, moved2030: after2030 > before2030 }).toEqual({
        table,
        moved2031: true,
        moved2030: table === "organisations",
      });
    }
    // A lease moved from one year to another changes both.
    const [before2031, before2030] = [await reportDataVersion(2031), await reportDataVersion(2030)];
    await db
      .update(attributions)
      .set({ leaseDate: "2030-12-31" })
      .where(eq(attributions.leaseDate, "2031-02-01"));
    expect(await reportDataVersion(2031)).toBeGreaterThan(before2031);
    expect(await reportDataVersion(2030)).toBeGreaterThan(before2030);
  });

  it("keeps a year's report while another year's attributions are recorded", async () => {
    let computed = 0;
    const compute = async () => ++computed;
    const onVilogia = { bailleurId: vilogia.id, contingent: "none" as const, reservataireId: null };
    expect(await cachedReport("test:years", 2024, compute)).toBe(1);
    await insertAttributions([{ ...onVilogia, leaseDate: "2025-05-02" }]);
    expect(await cachedReport("test:years", 2024, compute)).toBe(1);
    await insertAttributions([{ ...onVilogia, leaseDate: "2024-05-02" }]);
    expect(await cachedReport("test:years", 2024, compute)).toBe(2);
  });

  it("folds the change rows into one per year without moving any version, even when two passes fold at once", async () => {
    for (let i = 0; i < 5; i++) await db.insert(reportChanges).values([{}, { year: 2027 }, { year: 2028 }]);
    const versions = async () => [await reportDataVersion(2027), await reportDataVersion(2028)];
    const before = await versions();
    await Promise.all([foldReportChanges(), foldReportChanges()]);
    expect(await versions()).toEqual(before);
    const rows = await db
      .select({ year: reportChanges.year, rows: sql<number>`count(*)::int` })
      .from(reportChanges)
      .groupBy(reportChanges.year);
    expect(rows.every((r) => r.rows === 1)).toBe(true);
  });

  it("computes a body once for concurrent readers, and forgets a failed computation", async () => {
    let computed = 0;
    const compute = async () => {
      computed += 1;
      return `{"n":${computed}}`;
    };
    const bodies = await Promise.all([
      cachedReport("test:a", 2025, compute),
      cachedReport("test:a", 2025, compute),
    ]);
    expect(bodies).toEqual(['{"n":1}', '{"n":1}']);
    expect(computed).toBe(1);

    await expect(cachedReport("test:b", 2025, () => Promise.reject(new Error("panne")))).rejects.toThrow(
      "panne",
    );
    expect(await cachedReport("test:b", 2025, compute)).toBe('{"n":2}');
  });
});
