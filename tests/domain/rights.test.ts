import { describe, expect, it } from "vitest";
import { assietteH, forecastErrors, rateError, ratesFor, rightsFor } from "~/domain/rights";

describe("assiette H = A − C − D − E − F − G", () => {
  it("takes internal transfers and rehousing out, and ignores B", () => {
    expect(assietteH({ a: 1000, b: 120, c: 80, d: 40, e: 5, f: 3, g: 2 })).toBe(870);
  });

  it("refuses negative or non-integer counts and C+D+E+F+G above A, in French", () => {
    expect(forecastErrors({ a: -1, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 }).a).toMatch(/nombre entier/);
    expect(forecastErrors({ a: 10.5, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 }).a).toMatch(/nombre entier/);
    expect(forecastErrors({ a: 10, b: 0, c: 5, d: 3, e: 1, f: 1, g: 1 }).form).toMatch(/dépasse A/);
    expect(forecastErrors({ a: 10, b: 11, c: 0, d: 0, e: 0, f: 0, g: 0 }).b).toMatch(/ne peut pas dépasser/);
    expect(forecastErrors({ a: 10, b: 2, c: 5, d: 3, e: 1, f: 1, g: 0 })).toEqual({});
  });
});

describe("rights per contingent", () => {
  it("gives the MEL 20 % on every bailleur but Partenord Habitat, the SICF only on ICF Habitat Nord-Est", () => {
    expect(ratesFor("vilogia").mel).toBe(2000);
    expect(ratesFor("partenord-habitat").mel).toBe(0);
    expect(ratesFor("icf-habitat-nord-est", { sicf: 1500 }).sicf).toBe(1500);
    expect(ratesFor("vilogia", { sicf: 1500 }).sicf).toBe(0);
    expect(ratesFor("vilogia").etat).toBe(2870);
    expect(ratesFor("vilogia").action_logement_retrocession).toBe(130);
    expect(ratesFor("vilogia").departement).toBe(0);
  });

  it("shows the exact value and rounds to the nearest unit, a half upwards", () => {
    expect(rightsFor(1000, 2870)).toEqual({ exact: 287, rounded: 287 });
    expect(rightsFor(5, 130)).toEqual({ exact: 0.065, rounded: 0 });
    expect(rightsFor(50, 2870)).toEqual({ exact: 14.35, rounded: 14 });
    expect(rightsFor(250, 130)).toEqual({ exact: 3.25, rounded: 3 });
    expect(rightsFor(1150, 130)).toEqual({ exact: 14.95, rounded: 15 });
    expect(rightsFor(1050, 2870).rounded).toBe(301); // 301,35
    expect(rightsFor(50, 1000).rounded).toBe(5); // exactly 5
    expect(rightsFor(5, 1000).rounded).toBe(1); // 0,5 → 1
  });

  it("finds the MEL deliberation's 2023 figure: 6 790 attributions, 1 121 for the MEL", () => {
    // A consistent split: Partenord Habitat 1 185, the other bailleurs 5 605 (each a multiple of 5, so no rounding).
    const assiette: Record<string, number> = {
      "partenord-habitat": 1185,
      vilogia: 1400,
      "lille-metropole-habitat": 1250,
      "maisons-et-cites": 900,
      "habitat-du-nord": 555,
      "3f-notre-logis": 500,
      "sia-habitat": 400,
      "icf-habitat-nord-est": 300,
      norevie: 300,
    };
    const total = Object.values(assiette).reduce((sum, h) => sum + h, 0);
    const mel = Object.entries(assiette).reduce(
      (sum, [slug, h]) => sum + rightsFor(h, ratesFor(slug).mel).rounded,
      0,
    );
    expect(total).toBe(6790);
    expect(mel).toBe(1121);
  });

  it("refuses rates above the texts' ceilings", () => {
    expect(rateError("action_logement", 2600)).toMatch(/25 %/);
    expect(rateError("sicf", 3100)).toMatch(/30 %/);
    expect(rateError("collectivities", 2100)).toMatch(/20 %/);
    expect(rateError("action_logement", 10_100)).toMatch(/100 %/);
    expect(rateError("action_logement", 2500)).toBeNull();
  });
});
