import { describe, expect, it } from "vitest";
import { type AttributionInput, resolveAttribution } from "~/domain/attribution";
import { checkQpv, checkQpvLines, QPV_CODE_PATTERN, qpvCodeRefusal } from "~/domain/qpv";
import { attributionSchema } from "~/lib/attribution-schemas";

/** Fictitious quartiers: the official list is the MEL's to load (decision 0025), none is shipped. */
const communes = new Map([
  ["59350", "Lille"],
  ["59512", "Roubaix"],
]);
const referential = new Map([
  [
    "QZ59001A",
    { code: "QZ59001A", name: "Quartier A (démo)", communeInsee: "59512", communeName: "Roubaix" },
  ],
]);

describe("the shape of a QPV code (loose: the MEL's file is the authority)", () => {
  it("takes 6 to 12 upper-case letters or digits, nothing else", () => {
    for (const code of ["QN05901M", "QP059012", "ABC123", "QN0590100001"])
      expect(QPV_CODE_PATTERN.test(code)).toBe(true);
    for (const code of ["QN059", "QN05901M-2", "qn05901m", "QN 05901", "QN05901M12345", ""])
      expect(QPV_CODE_PATTERN.test(code), code).toBe(false);
  });

  it("reads a typed code upper-case and trimmed, and refuses a wrong one in French", () => {
    expect(checkQpv({ code: " qz59001a ", name: " Quartier A ", communeInsee: "59512" }, communes)).toEqual({
      ok: true,
      entry: { code: "QZ59001A", name: "Quartier A", communeInsee: "59512" },
    });
    const refused = checkQpv({ code: "QZ-1", name: "", communeInsee: "59000" }, communes);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.errors.code).toMatch(/^Code « QZ-1 » invalide : 6 à 12 lettres majuscules ou chiffres/);
    expect(refused.errors.name).toBe("Nom du quartier manquant.");
    expect(refused.errors.communeInsee).toMatch(
      /^Commune 59000 inconnue : indiquez le code INSEE d'une commune de la MEL/,
    );
  });
});

describe("the lines of an import", () => {
  it("names every refused line with its number, a code twice included, and writes nothing", () => {
    const result = checkQpvLines(
      [
        { line: 2, code: "QZ59001A", name: "Quartier A", communeInsee: "59512" },
        { line: 3, code: "QZ59002B", name: "Quartier B", communeInsee: "Lille" },
        { line: 4, code: "qz59001a", name: "Quartier A bis", communeInsee: "59350" },
      ],
      communes,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 3, message: expect.stringMatching(/^ligne 3 : Code INSEE « Lille » invalide/) },
        {
          line: 4,
          message: "ligne 4 : Code QZ59001A déjà présent ligne 2 : un quartier ne figure qu'une fois.",
        },
      ],
    });
  });
});

describe("the QPV code of an attribution (decision 0025)", () => {
  const input = { qpv: true, qpvCode: "QZ59001A", communeInsee: "59512" };

  it("accepts a quartier of the flat's commune, and « en QPV » without a code (« non renseigné »)", () => {
    expect(qpvCodeRefusal(input, referential)).toBeNull();
    expect(qpvCodeRefusal({ ...input, qpvCode: null }, referential)).toBeNull();
  });

  it("refuses an unknown code, a quartier of another commune, and a code on a flat outside QPV", () => {
    expect(qpvCodeRefusal({ ...input, qpvCode: "QZ99999Z" }, referential)).toMatch(
      /^Quartier prioritaire QZ99999Z inconnu : indiquez le code d'un quartier de la liste tenue par la MEL/,
    );
    expect(qpvCodeRefusal({ ...input, communeInsee: "59350" }, referential)).toBe(
      "Le quartier Quartier A (démo) (QZ59001A) est à Roubaix (59512), pas dans la commune 59350 du logement : corrigez le code du quartier ou la commune.",
    );
    expect(qpvCodeRefusal({ ...input, qpv: false }, referential)).toMatch(/indiquez « En QPV : oui »/);
  });

  it("is one of an attribution's rules, on the field « qpvCode », and the shape refuses a malformed code", () => {
    const lease: AttributionInput = {
      numeroUnique: "0592401001234A",
      leaseDate: "2025-03-01",
      bailleurSlug: "vilogia",
      communeInsee: "59350",
      qpv: true,
      qpvCode: "QZ59001A",
      contingent: "none",
      publicCategory: "autre",
      transfer: "none",
      rehousing: "none",
      eligibility: null,
    };
    const result = resolveAttribution(lease, {
      today: "2025-06-30",
      recordingBailleurSlug: "vilogia",
      bailleurs: new Map([["vilogia", { id: "b-vilogia", name: "Vilogia" }]]),
      communes: new Map([["59350", "c-lille"]]),
      holders: new Map(),
      communeShares: new Set(),
      qpvs: referential,
    });
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(["qpvCode"]);
    const shape = attributionSchema.shape.qpvCode.safeParse("QZ 1");
    expect(shape.success ? null : shape.error.issues[0]?.message).toMatch(
      /^Code du quartier prioritaire invalide/,
    );
  });
});
