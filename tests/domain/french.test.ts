import { describe, expect, it } from "vitest";
import { formatParis } from "~/lib/dates";
import { de, formatNumber, NBSP, NNBSP, ordinal, punctuate } from "~/lib/french";

describe("French typography", () => {
  it("writes 1er, 1re, 2e — never 1ère", () => {
    expect([ordinal(1), ordinal(1, "f"), ordinal(2), ordinal(4)]).toEqual(["1er", "1re", "2e", "4e"]);
  });

  it("elides « de » before a vowel or a mute h, not before an aspirated h", () => {
    expect(de("Action Logement Services Hauts-de-France")).toBe("d'Action Logement Services Hauts-de-France");
    expect(de("Église")).toBe("d'Église");
    expect(de("Vilogia")).toBe("de Vilogia");
    expect(de("Habitat du Nord")).toBe("de Habitat du Nord");
    expect(de("Hem")).toBe("de Hem");
  });

  it("puts non-breaking spaces before : ; ? ! and inside numbers", () => {
    expect(punctuate("Attention : délai ; vraiment ? oui !")).toBe(
      `Attention${NBSP}: délai${NNBSP}; vraiment${NNBSP}? oui${NNBSP}!`,
    );
    expect(formatNumber(6790)).toBe(`6${NNBSP}790`);
  });

  it("dates the first day of a month as « 1er »", () => {
    expect(formatParis("2027-05-01T10:00:00Z", "EEEE d MMMM yyyy")).toBe("samedi 1er mai 2027");
    expect(formatParis("2027-02-11T10:00:00Z", "d MMMM yyyy")).toBe("11 février 2027");
  });
});
