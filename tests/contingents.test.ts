import { describe, expect, it } from "vitest";
import { contingentPairs } from "~/models/contingents.server";
import { organisation } from "./helpers/fixtures";
import { signBilaterale } from "./helpers/signed-rates";

/** Who holds a contingent on which bailleur in a year (004 lines 158–204): the one rule later issues ask. */
describe("contingentPairs", () => {
  it("follows the convention cadre's rates and the rates signed for the year", async () => {
    const mel = await organisation("mel");
    const etat = await organisation("etat");
    const sicf = await organisation("sicf");
    const als = await organisation("action-logement");
    const partenord = await organisation("partenord-habitat");
    const icf = await organisation("icf-habitat-nord-est");
    const vilogia = await organisation("vilogia");
    const before = await contingentPairs(undefined, { year: 2026 });
    const bailleursOf = (pairs: typeof before, id: string) =>
      pairs.filter((p) => p.reservataire.id === id).map((p) => p.bailleur.slug);
    /** Whether the réservataire holds a contingent on the bailleur in the year. */
    const holds = async (reservataireId: string, bailleurId: string, year: number) =>
      (await contingentPairs(undefined, { bailleurId, year })).some(
        (p) => p.reservataire.id === reservataireId,
      );

    expect(bailleursOf(before, etat.id)).toHaveLength(19);
    expect(bailleursOf(before, mel.id)).toHaveLength(18);
    expect(bailleursOf(before, mel.id)).not.toContain("partenord-habitat");
    expect(bailleursOf(before, sicf.id)).toEqual([]);
    // ALS holds its 1,3 % rétrocession everywhere, before any signed rate.
    expect(bailleursOf(before, als.id)).toHaveLength(19);
    expect(await holds(mel.id, partenord.id, 2026)).toBe(false);

    await signBilaterale("sicf", "icf-habitat-nord-est", 2500, { startYear: 2026, endYear: 2026 });
    const after = await contingentPairs(undefined, { year: 2026 });
    expect(bailleursOf(after, sicf.id)).toEqual(["icf-habitat-nord-est"]);
    expect(after.find((p) => p.reservataire.id === sicf.id)?.rateBp).toBe(2500);
    expect(await holds(sicf.id, vilogia.id, 2026)).toBe(false);
    // The convention covers 2026 only: 2025 and 2027 are not touched.
    expect(await holds(sicf.id, icf.id, 2025)).toBe(false);
    expect(await holds(sicf.id, icf.id, 2027)).toBe(false);
  });
});
