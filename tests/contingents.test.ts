import { describe, expect, it } from "vitest";
import { setNegotiatedRate } from "~/models/assiette.server";
import { contingentPairs, holdsContingentOn } from "~/models/contingents.server";
import { auditActor, createUser, organisation } from "./helpers/fixtures";

/** Who holds a contingent on which bailleur (004 lines 158–204): the one rule later issues ask. */
describe("contingentPairs", () => {
  it("follows the convention cadre's rates and the negotiated ones", async () => {
    const mel = await organisation("mel");
    const etat = await organisation("etat");
    const sicf = await organisation("sicf");
    const als = await organisation("action-logement");
    const partenord = await organisation("partenord-habitat");
    const icf = await organisation("icf-habitat-nord-est");
    const vilogia = await organisation("vilogia");
    const before = await contingentPairs();
    const bailleursOf = (pairs: typeof before, id: string) =>
      pairs.filter((p) => p.reservataire.id === id).map((p) => p.bailleur.slug);

    expect(bailleursOf(before, etat.id)).toHaveLength(19);
    expect(bailleursOf(before, mel.id)).toHaveLength(18);
    expect(bailleursOf(before, mel.id)).not.toContain("partenord-habitat");
    expect(bailleursOf(before, sicf.id)).toEqual([]);
    // ALS holds its 1,3 % rétrocession everywhere, before any negotiated rate.
    expect(bailleursOf(before, als.id)).toHaveLength(19);
    expect(await holdsContingentOn(mel.id, partenord.id)).toBe(false);

    const sicfSignataire = await createUser("sicf", ["signataire"]);
    await setNegotiatedRate(auditActor(sicfSignataire), {
      reservataireId: sicf.id,
      reservataireKind: "sicf",
      bailleurId: icf.id,
      rateBp: 2500,
    });
    const after = await contingentPairs();
    expect(bailleursOf(after, sicf.id)).toEqual(["icf-habitat-nord-est"]);
    expect(after.find((p) => p.reservataire.id === sicf.id)?.rateBp).toBe(2500);
    expect(await holdsContingentOn(sicf.id, vilogia.id)).toBe(false);
  });
});
