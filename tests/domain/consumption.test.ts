import { describe, expect, it } from "vitest";
import {
  consumptionOf,
  maskConsumption,
  maskSmallCount,
  projectedToYearEnd,
  stateLabel,
  subTargetsFor,
  yearProgress,
} from "~/domain/consumption";

// 10 April 2026, noon in Paris: 31 + 28 + 31 + 10 = 100 days of 2026 elapsed (today included), 365 in the year.
const APRIL_10 = new Date("2026-04-10T10:00:00Z");

describe("projection to 31 December", () => {
  it("counts Paris calendar days, today included", () => {
    expect(yearProgress(2026, APRIL_10)).toEqual({ elapsed: 100, days: 365 });
    // 31 December 23:30 UTC is already 1 January in Paris: 2026 is over, 2027 has begun.
    expect(yearProgress(2026, new Date("2026-12-31T23:30:00Z"))).toEqual({ elapsed: 365, days: 365 });
    expect(yearProgress(2027, new Date("2026-12-31T23:30:00Z"))).toEqual({ elapsed: 1, days: 365 });
    expect(yearProgress(2028, new Date("2028-03-01T12:00:00Z"))).toEqual({ elapsed: 61, days: 366 });
  });

  it("is counted ÷ days elapsed × days in the year, rounded half up; a past year keeps its count", () => {
    expect(projectedToYearEnd(20, yearProgress(2026, APRIL_10))).toBe(73); // 20 × 365 / 100 = 73
    expect(projectedToYearEnd(2, yearProgress(2026, APRIL_10))).toBe(7); // 7,3
    expect(projectedToYearEnd(6, yearProgress(2026, new Date("2026-01-02T12:00:00Z")))).toBe(1095); // 6 × 365 / 2
    expect(projectedToYearEnd(41, yearProgress(2025, APRIL_10))).toBe(41);
    expect(projectedToYearEnd(0, yearProgress(2027, APRIL_10))).toBeNull();
  });
});

describe("consumption of one réservataire on one bailleur", () => {
  it("MEL: rights, remaining, projection and its three sub-targets (hand-computed)", () => {
    // 20 counted: 9 CIA targets, of which 4 labelled DALO-PDALHPD and 2 labelled MBC.
    const line = consumptionOf(
      {
        kind: "metropole",
        rights: { value: 100, source: "avenant" },
        fluxH: 500,
        counts: { counted: 20, priority: 4, ciaTargets: 9, mbc: 2, stateAgents: 0 },
      },
      yearProgress(2026, APRIL_10),
    );
    expect(line).toMatchObject({
      rights: 100,
      provisional: false,
      counted: 20,
      remaining: 80,
      projected: 73,
      priorityShare: 0.2,
      behind: true,
    });
    expect(line.subTargets.map((t) => [t.key, t.share, t.threshold, t.met])).toEqual([
      ["ciaTargets", 0.45, 0.5, false],
      ["priority", 0.2, 0.25, false],
      ["mbc", 0.1, 0.15, false],
    ]);
    expect(line.reasons).toEqual([
      "Projection au 31 décembre (73) inférieure aux droits (100).",
      "Publics cibles CIA : 45 % (minimum 50 %).",
      "DALO-PDALHPD labellisés : 20 % (minimum 25 %).",
      "MBC labellisées : 10 % (minimum 15 %).",
    ]);
  });

  it("is not behind when the pace and every share hold; provisional rights say so", () => {
    const line = consumptionOf(
      {
        kind: "action_logement",
        rights: { value: 30, source: "provisional_assiette" },
        fluxH: 120,
        counts: { counted: 10, priority: 3, ciaTargets: 3, mbc: 0, stateAgents: 0 },
      },
      yearProgress(2026, APRIL_10),
    );
    expect(line).toMatchObject({
      provisional: true,
      projected: 37,
      remaining: 20,
      behind: false,
      reasons: [],
    });
    expect(line.priorityShare).toBeCloseTo(0.3);
  });

  it("État: 100 % DALO-PDALHPD outside its agents, agents at most 5 % of the flux H", () => {
    // 30 counted of which 2 agents: 27 of the 28 others labelled → 96,4 %; agents 2 / 200 = 1 %.
    const targets = subTargetsFor(
      "etat",
      { counted: 30, priority: 27, ciaTargets: 27, mbc: 0, stateAgents: 2 },
      200,
    );
    expect(targets.map((t) => [t.key, t.met])).toEqual([
      ["priority", false],
      ["stateAgents", true],
    ]);
    expect(targets[0]!.share).toBeCloseTo(27 / 28);
    const agents = subTargetsFor(
      "etat",
      { counted: 40, priority: 28, ciaTargets: 28, mbc: 0, stateAgents: 12 },
      200,
    );
    expect(agents.map((t) => [t.key, t.share, t.met])).toEqual([
      ["priority", 1, true],
      ["stateAgents", 0.06, false],
    ]);
  });

  it("assesses nothing before the first attribution; the SICF has no sub-target; no rights, no remaining", () => {
    const empty = { counted: 0, priority: 0, ciaTargets: 0, mbc: 0, stateAgents: 0 };
    expect(subTargetsFor("commune", empty, null)).toEqual([
      expect.objectContaining({ key: "priority", share: null, met: null }),
    ]);
    expect(subTargetsFor("sicf", { ...empty, counted: 3 }, 50)).toEqual([]);
    const line = consumptionOf(
      { kind: "commune", rights: null, fluxH: null, counts: empty },
      yearProgress(2026, APRIL_10),
    );
    expect(line).toMatchObject({ rights: null, remaining: null, projected: 0, behind: false });
  });
});

describe("masking small counts for communes", () => {
  it("shows counts below 5 as « < 5 » and larger ones as they are", () => {
    expect([0, 1, 4, 5, 12].map(maskSmallCount)).toEqual(["< 5", "< 5", "< 5", 5, 12]);
  });
});

describe("state and what a commune sees (issue 15)", () => {
  const year = yearProgress(2025, APRIL_10);
  it("says « Dépassé (+487) » when more is counted than the rights, apart from « En retard »", () => {
    // ALS × LMH: 703 counted for 216 rights.
    const line = consumptionOf(
      {
        kind: "action_logement",
        rights: { value: 216, source: "avenant" },
        fluxH: 800,
        counts: { counted: 703, priority: 200, ciaTargets: 300, mbc: 0, stateAgents: 0 },
      },
      year,
    );
    expect(line).toMatchObject({ state: "exceeded", remaining: -487 });
    expect(stateLabel(line)).toBe("Dépassé (+487)");
    const behind = consumptionOf(
      {
        kind: "action_logement",
        rights: { value: 216, source: "avenant" },
        fluxH: 800,
        counts: { counted: 10, priority: 3, ciaTargets: 3, mbc: 0, stateAgents: 0 },
      },
      year,
    );
    expect(stateLabel(behind)).toBe("En retard");
  });

  it("masks a sub-target of fewer than 5 households in its share and its text (« DALO-PDALHPD labellisés : 0 % »)", () => {
    const line = consumptionOf(
      {
        kind: "metropole",
        rights: { value: 100, source: "avenant" },
        fluxH: 500,
        counts: { counted: 20, priority: 0, ciaTargets: 12, mbc: 3, stateAgents: 0 },
      },
      year,
    );
    expect(line.reasons.join(" ")).toMatch(/DALO-PDALHPD labellisés : 0 %/);
    const masked = maskConsumption(line);
    expect(masked.reasons.join(" ")).not.toMatch(/DALO-PDALHPD|MBC/);
    expect(masked.reasons.join(" ")).toMatch(/Projection au 31 décembre \(20\)/);
    expect(masked.priorityShare).toBeNull();
    expect(masked.subTargets.map((t) => [t.key, t.count, t.share])).toEqual([
      ["ciaTargets", 12, 0.6],
      ["priority", "< 5", null],
      ["mbc", "< 5", null],
    ]);
    const few = maskConsumption(
      consumptionOf(
        {
          kind: "metropole",
          rights: { value: 100, source: "avenant" },
          fluxH: 500,
          counts: { counted: 3, priority: 0, ciaTargets: 0, mbc: 0, stateAgents: 0 },
        },
        year,
      ),
    );
    expect(few).toMatchObject({ counted: "< 5", projected: "< 5", remaining: null });
    expect(few.reasons).toEqual(["Projection au 31 décembre inférieure aux droits."]);
  });
});
