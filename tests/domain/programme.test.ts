import { describe, expect, it } from "vitest";
import {
  consolidateDeliveries,
  declarationDueAt,
  type FlatGroup,
  isLateDeclaration,
  periodBounds,
  proposeSplit,
  splitErrors,
  targetCounts,
} from "~/domain/programme";

const FLATS: FlatGroup[] = [
  { typology: "T2", financing: "plus", pmr: true, count: 2 },
  { typology: "T4", financing: "plai", pmr: false, count: 3 },
  { typology: "T3", financing: "plus", pmr: false, count: 5 },
];
// État 28,7 %, MEL 20 %, ALS 1,3 % + 13 % negotiated; the bailleur keeps 37 %.
const RATES = [
  { id: "etat", rateBp: 2870 },
  { id: "mel", rateBp: 2000 },
  { id: "als", rateBp: 1430 },
];

describe("proposed split of a new programme (004 l. 296)", () => {
  it("shares the flats by rate with the largest remainder", () => {
    // 10 flats: 2,87 / 2,0 / 1,43 / 3,7 → floors 2,2,1,3 (8); the two largest remainders (0,87 État, 0,7 bailleur) +1.
    expect(targetCounts(10, [...RATES, { id: null, rateBp: 3700 }])).toEqual([3, 2, 1, 4]);
  });

  it("balances the scarce flats (PMR, T4+, PLAI) — the hand-computed example", () => {
    // Scarce flats in order: 3 × T4 PLAI (score 2), then 2 × T2 PMR (score 1). Deficit×10 = target×k − scarce×10:
    // k=1 bailleur (4), k=2 État (6), k=3 MEL (6), k=4 bailleur (6), k=5 tie État/ALS at 5 → ALS (fewer scarce).
    // Then the 5 T3 PLUS fill what is left: État 2, MEL 1, bailleur 2.
    const split = proposeSplit(FLATS, RATES);
    const of = (id: string | null) =>
      split
        .filter((a) => a.reservataireId === id)
        .map((a) => `${a.count} ${a.typology} ${a.financing}${a.pmr ? " pmr" : ""}`)
        .sort();
    expect(of("etat")).toEqual(["1 T4 plai", "2 T3 plus"]);
    expect(of("mel")).toEqual(["1 T3 plus", "1 T4 plai"]);
    expect(of("als")).toEqual(["1 T2 plus pmr"]);
    expect(of(null)).toEqual(["1 T2 plus pmr", "1 T4 plai", "2 T3 plus"]);
    expect(splitErrors(FLATS, split, new Set(["etat", "mel", "als"]))).toEqual([]);
  });
});

describe("final split checks", () => {
  const entitled = new Set(["etat", "mel"]);
  it("refuses a split that does not share out every flat exactly", () => {
    const errors = splitErrors(
      FLATS,
      [
        { reservataireId: "etat", typology: "T2", financing: "plus", pmr: true, count: 1 },
        { reservataireId: null, typology: "T4", financing: "plai", pmr: false, count: 3 },
        { reservataireId: "mel", typology: "T3", financing: "plus", pmr: false, count: 6 },
      ],
      entitled,
    );
    expect(errors).toEqual([
      "Logements T2 PLUS PMR : la répartition en compte 1, le programme 2. Répartissez-les tous, ni plus ni moins.",
      "Logements T3 PLUS : la répartition en compte 6, le programme 5. Répartissez-les tous, ni plus ni moins.",
    ]);
  });

  it("refuses flats given to a réservataire without a contingent on the bailleur", () => {
    const errors = splitErrors(
      [{ typology: "T3", financing: "pls", pmr: false, count: 2 }],
      [{ reservataireId: "sicf", typology: "T3", financing: "pls", pmr: false, count: 2 }],
      entitled,
    );
    expect(errors[0]).toContain("sans contingent sur ce bailleur");
  });
});

describe("declaration three months before first letting", () => {
  it("ends at the end of the Paris day three months before", () => {
    expect(declarationDueAt("2027-03-15").toISOString()).toBe("2026-12-15T23:00:00.000Z");
    expect(declarationDueAt("2026-09-01").toISOString()).toBe("2026-06-01T22:00:00.000Z");
    // 31 May − 3 months → 28 February (clamped).
    expect(declarationDueAt("2027-05-31").toISOString()).toBe("2027-02-28T23:00:00.000Z");
  });
  it("flags a declaration made less than three months before", () => {
    expect(isLateDeclaration("2027-03-15", new Date("2026-12-15T22:59:59Z"))).toBe(false);
    expect(isLateDeclaration("2027-03-15", new Date("2026-12-15T23:00:00Z"))).toBe(true);
  });
});

describe("deliveries consolidated by semester (004 l. 298)", () => {
  const programme = (
    communeName: string,
    bailleurName: string,
    firstLettingDate: string,
    flats: FlatGroup[],
  ) => ({
    communeInsee: "59350",
    communeName,
    bailleurName,
    firstLettingDate,
    flats,
  });
  const ALL = [
    programme("Lille", "Vilogia", "2027-01-01", [
      { typology: "T2", financing: "plus", pmr: false, count: 4 },
      { typology: "T4", financing: "plai", pmr: true, count: 1 },
    ]),
    programme("Roubaix", "Vilogia", "2027-06-30", [
      { typology: "T3", financing: "pls", pmr: false, count: 6 },
    ]),
    programme("Lille", "LMH", "2027-07-01", [{ typology: "T2", financing: "plus", pmr: false, count: 10 }]),
    programme("Lille", "LMH", "2026-12-31", [{ typology: "T5", financing: "plai", pmr: false, count: 3 }]),
  ];

  it("bounds the semesters and the year", () => {
    expect(periodBounds({ year: 2027, half: 1 })).toEqual({ from: "2027-01-01", to: "2027-06-30" });
    expect(periodBounds({ year: 2027, half: 2 })).toEqual({ from: "2027-07-01", to: "2027-12-31" });
    expect(periodBounds({ year: 2027, half: null })).toEqual({ from: "2027-01-01", to: "2027-12-31" });
  });

  it("totals the first semester per commune, bailleur, financing and typology (hand-computed)", () => {
    // In: 1 Jan (Lille, Vilogia: 4 T2 PLUS + 1 T4 PLAI PMR) and 30 Jun (Roubaix, Vilogia: 6 T3 PLS) → 11 flats.
    // Out: 1 Jul (second semester) and 31 Dec 2026 (previous year).
    expect(consolidateDeliveries(ALL, { year: 2027, half: 1 })).toEqual({
      from: "2027-01-01",
      to: "2027-06-30",
      programmes: 2,
      flats: 11,
      pmr: 1,
      byCommune: { Lille: 5, Roubaix: 6 },
      byBailleur: { Vilogia: 11 },
      byFinancing: { plus: 4, plai: 1, pls: 6 },
      byTypology: { T2: 4, T4: 1, T3: 6 },
    });
  });

  it("totals the second semester and the year", () => {
    expect(consolidateDeliveries(ALL, { year: 2027, half: 2 })).toMatchObject({
      programmes: 1,
      flats: 10,
      byCommune: { Lille: 10 },
      byBailleur: { LMH: 10 },
    });
    expect(consolidateDeliveries(ALL, { year: 2027, half: null })).toMatchObject({
      programmes: 3,
      flats: 21,
      byBailleur: { Vilogia: 11, LMH: 10 },
      byTypology: { T2: 14, T4: 1, T3: 6 },
    });
  });
});
