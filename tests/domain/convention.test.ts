import { describe, expect, it } from "vitest";
import {
  annexTotals,
  bilateralPairError,
  editRefusal,
  emptyFinancialAnnex,
  financialAnnexErrors,
  MEL_PUBLICS,
  managementError,
  othersPct,
  publicsErrors,
  statusAfterSignatures,
} from "~/domain/convention";

describe("publics split (model art. 3, 004 lines 599–607; deliberation line 4585)", () => {
  it("accepts the MEL's 50 % CIA targets with at least 25 % DALO and 15 % MBC, the rest to other demands", () => {
    expect(publicsErrors("metropole", MEL_PUBLICS)).toEqual({});
    expect(publicsErrors("metropole", { ciaTargetsPct: 50, daloPct: 30, mbcPct: 20 })).toEqual({});
    expect(othersPct(MEL_PUBLICS)).toBe(50);
  });

  it("refuses a MEL split off the CIA's one in two, or under its minimums", () => {
    expect(publicsErrors("metropole", { ciaTargetsPct: 60, daloPct: 25, mbcPct: 15 }).ciaTargetsPct).toMatch(
      /une attribution sur deux/,
    );
    const low = publicsErrors("metropole", { ciaTargetsPct: 50, daloPct: 24, mbcPct: 14 });
    expect(low.daloPct).toMatch(/25 %/);
    expect(low.mbcPct).toMatch(/15 %/);
  });

  it("refuses labelled parts larger than the CIA targets they belong to, and non-percentages", () => {
    expect(publicsErrors("action_logement", { ciaTargetsPct: 30, daloPct: 25, mbcPct: 10 }).daloPct).toMatch(
      /ne peut pas les dépasser/,
    );
    expect(publicsErrors("etat", { ciaTargetsPct: 101, daloPct: 2.5, mbcPct: -1 })).toEqual({
      ciaTargetsPct: "Indiquez un pourcentage entier entre 0 et 100.",
      daloPct: "Indiquez un pourcentage entier entre 0 et 100.",
      mbcPct: "Indiquez un pourcentage entier entre 0 et 100.",
    });
  });

  it("asks every réservataire but the SICF for 25 % of priority households (004 lines 290, 647)", () => {
    expect(publicsErrors("action_logement", { ciaTargetsPct: 40, daloPct: 20, mbcPct: 0 }).daloPct).toMatch(
      /obligation réglementaire/,
    );
    expect(publicsErrors("sicf", { ciaTargetsPct: 0, daloPct: 0, mbcPct: 0 })).toEqual({});
  });
});

describe("pairs and management mode", () => {
  it("knows the MEL has no contingent on Partenord and the SICF reserves on ICF Habitat Nord-Est only", () => {
    expect(bilateralPairError("metropole", "partenord-habitat")).toMatch(/Partenord/);
    expect(bilateralPairError("metropole", "vilogia")).toBeNull();
    expect(bilateralPairError("sicf", "vilogia")).toMatch(/ICF Habitat Nord-Est/);
    expect(bilateralPairError("sicf", "icf-habitat-nord-est")).toBeNull();
    expect(bilateralPairError("action_logement", "partenord-habitat")).toBeNull();
  });

  it("keeps the MEL's contingent in gestion déléguée (art. 4.1); others choose", () => {
    expect(managementError("metropole", "direct")).toMatch(/déléguée/);
    expect(managementError("metropole", "delegated")).toBeNull();
    expect(managementError("action_logement", "direct")).toBeNull();
  });
});

describe("financial annex (Annex 2, 004 lines 772–800)", () => {
  it("sums the years and the subsidies like the model's Total rows", () => {
    const annex = emptyFinancialAnnex();
    annex.years[0]!.expiredEur = 1200;
    annex.years[8]!.expiredEur = 300;
    annex.years[3]!.newGuaranteedEur = 5000;
    annex.subsidies = { plai: { totalEur: 150, paidEur: 100 }, plus: { totalEur: 80, paidEur: 80 } };
    expect(annexTotals(annex)).toEqual({
      expiredEur: 1500,
      newGuaranteedEur: 5000,
      subsidiesTotalEur: 230,
      subsidiesPaidEur: 180,
    });
    expect(financialAnnexErrors(annex)).toEqual({});
    expect(annex.years.map((y) => y.year)).toEqual([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023]);
    expect(annex.guaranteeRatePct).toBe(100);
  });

  it("refuses a subsidy paid beyond its total, and missing years", () => {
    const annex = emptyFinancialAnnex();
    annex.subsidies.plus = { totalEur: 10, paidEur: 11 };
    annex.years = annex.years.slice(1);
    expect(Object.keys(financialAnnexErrors(annex)).sort()).toEqual(["subsidies.plus.paidEur", "years"]);
  });
});

describe("signatures and freezing", () => {
  it("is a draft until a first signature, signed when every party has signed", () => {
    expect(statusAfterSignatures(0, 2)).toBe("draft");
    expect(statusAfterSignatures(1, 2)).toBe("signing");
    expect(statusAfterSignatures(2, 2)).toBe("signed");
    expect(statusAfterSignatures(5, 6)).toBe("signing");
  });

  it("lets only an unsigned draft change; a signed convention changes only by avenant", () => {
    expect(editRefusal("draft")).toBeNull();
    expect(editRefusal("signing")).toMatch(/en cours de signature/);
    expect(editRefusal("signed")).toMatch(/que par avenant/);
  });
});
