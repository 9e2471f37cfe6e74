import { describe, expect, it } from "vitest";
import {
  assietteH,
  bailleurRights,
  ceilingError,
  forecastErrors,
  type Holding,
  rateError,
  ratesFor,
  reservataireRateBp,
  rightsFor,
  rightsOnBailleur,
} from "~/domain/rights";
import { seededRandom } from "../helpers/seeded-random";

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

describe("one rounding per right (ROUNDING_RULE)", () => {
  it("rounds ALS once on its whole rate, and the annex's split adds up to that same right (Clésence, H = 350)", () => {
    const rates = ratesFor("clesence", { action_logement: 2500 });
    const { byReservataire, byContingent, remainder } = bailleurRights(350, rates, []);
    // 350 × 26,3 % = 92,05 → 92 (rounding 4,55 and 87,5 separately gave 5 + 88 = 93).
    expect(byReservataire.action_logement).toMatchObject({ rateBp: 2630, rounded: 92 });
    expect(byContingent.action_logement_retrocession.rounded + byContingent.action_logement.rounded).toBe(92);
    expect(byContingent.action_logement_retrocession.rounded).toBe(5);
    expect(byReservataire.etat.rounded).toBe(100); // 100,45
    expect(byReservataire.metropole.rounded).toBe(70);
    expect(remainder).toBe(350 - 92 - 100 - 70);
  });

  it("never lets the rounded rights of a bailleur exceed H: the smallest fractions rounded up go down first", () => {
    // H = 10 at 100 %: État 2,87 → 3, ALS 2,63 → 3, SICF 2,5 → 3, MEL 2 → 12 > 10.
    const rights = rightsOnBailleur(10, [2870, 2630, 2500, 2000]);
    expect(rights.map((r) => r.rounded)).toEqual([3, 3, 2, 2]);
    expect(rightsOnBailleur(10, [2870, 2630, 2500, 2000]).reduce((s, r) => s + r.rounded, 0)).toBe(10);
    // Below 100 % nothing changes: each right is its own half-up rounding.
    expect(rightsOnBailleur(1400, [2870, 1980, 2000]).map((r) => r.rounded)).toEqual([402, 277, 280]);
  });

  it("holds over random bailleurs and rates (seeded; RIGHTS_SEED=… replays)", () => {
    const { seed, upTo } = seededRandom("RIGHTS_SEED", "rights");
    for (let i = 0; i < 500; i++) {
      const slug = ["vilogia", "icf-habitat-nord-est", "partenord-habitat", "clesence"][upTo(3)]!;
      const h = upTo(3000);
      const communes = Array.from({ length: upTo(3) }, () => upTo(700));
      const signed = {
        action_logement: upTo(2500),
        sicf: upTo(2500),
        departement: slug === "partenord-habitat" ? upTo(2000) : 0,
        communes: communes.reduce((s, c) => s + c, 0),
      };
      const rates = ratesFor(slug, signed);
      const shares = rates.mel > 0 || signed.communes <= 2000 ? communes : [];
      const holdings = [
        ...(["etat", "action_logement", "sicf", "metropole", "departement"] as const).map((kind) => ({
          kind,
          name: kind,
          rateBp: reservataireRateBp(kind, rates),
        })),
        ...shares.map((rateBp) => ({ kind: "commune" as const, name: "commune", rateBp })),
      ];
      const refused = ceilingError({
        bailleurName: slug,
        bailleurSlug: slug,
        year: 2026,
        holdings,
        sicfCapBp: 2500,
      });
      if (refused) continue;
      const {
        byReservataire,
        byContingent,
        communes: communeRights,
        remainder,
      } = bailleurRights(h, rates, shares);
      const all = [...Object.values(byReservataire), ...communeRights];
      const context = JSON.stringify({ seed, i, slug, h, signed, shares });
      expect(remainder, context).toBeGreaterThanOrEqual(0);
      expect(all.reduce((s, r) => s + r.rounded, 0) + remainder, context).toBe(h);
      for (const r of all) expect(Math.abs(r.rounded - r.exact), context).toBeLessThan(1);
      // The annex's ALS columns add up to ALS's one right (its letter and its consumption read that right).
      expect(
        byContingent.action_logement_retrocession.rounded + byContingent.action_logement.rounded,
        context,
      ).toBe(byReservataire.action_logement.rounded);
      for (const c of Object.values(byContingent)) expect(c.rounded, context).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("ceilings of the rates on one bailleur (DESIGN §3)", () => {
  const base = [
    { kind: "etat" as const, name: "Préfet du Nord", rateBp: 2870 },
    { kind: "metropole" as const, name: "MEL", rateBp: 2000 },
  ];
  const check = (holdings: Holding[], slug = "icf-habitat-nord-est", sicfCapBp = 2500) =>
    ceilingError({
      bailleurName: "ICF Habitat Nord-Est",
      bailleurSlug: slug,
      year: 2026,
      holdings,
      sicfCapBp,
    });

  it("refuses 105 % on ICF Habitat Nord-Est, naming the sum and the rows", () => {
    const message = check(
      [
        ...base,
        { kind: "action_logement", name: "Action Logement", rateBp: 2630 },
        { kind: "sicf", name: "SICF", rateBp: 3000 },
      ],
      "icf-habitat-nord-est",
      3000,
    );
    expect(message).toBe(
      "Sur ICF Habitat Nord-Est en 2026, les taux signés feraient 105 % : Préfet du Nord 28,7 %, MEL 20 %, Action Logement 26,3 %, SICF 30 %. Ensemble, ils ne peuvent dépasser 100 % de l'assiette H (le reste est le contingent propre du bailleur).",
    );
    expect(
      check([
        ...base,
        { kind: "action_logement", name: "Action Logement", rateBp: 2630 },
        { kind: "sicf", name: "SICF", rateBp: 2500 },
      ]),
    ).toBeNull();
  });

  it("holds the SICF to 25 % (Annex 1, l.505) unless a signed SICF–ICF convention says otherwise, citing both texts", () => {
    const message = check([...base, { kind: "sicf", name: "SICF", rateBp: 2600 }]);
    expect(message).toMatch(/26 % : 25 % au plus/);
    expect(message).toMatch(/l\.204/);
    expect(message).toMatch(/l\.505/);
    expect(
      check([...base, { kind: "sicf", name: "SICF", rateBp: 2600 }], "icf-habitat-nord-est", 3000),
    ).toBeNull();
    expect(check([{ kind: "sicf", name: "SICF", rateBp: 100 }], "vilogia")).toMatch(
      /que sur ICF Habitat Nord-Est/,
    );
  });

  it("holds ALS to 25 % besides its rétrocession, and the collectivities to 20 % together", () => {
    expect(check([{ kind: "action_logement", name: "Action Logement", rateBp: 2640 }], "vilogia")).toMatch(
      /26,4 %, soit 25,1 % hors rétrocession/,
    );
    expect(check([{ kind: "action_logement", name: "Action Logement", rateBp: 2630 }], "vilogia")).toBeNull();
    expect(
      check(
        [
          { kind: "metropole", name: "MEL", rateBp: 1500 },
          { kind: "commune", name: "Roubaix", rateBp: 600 },
        ],
        "vilogia",
      ),
    ).toMatch(/collectivités feraient ensemble 21 % : MEL 15 %, Roubaix 6 %/);
  });
});
