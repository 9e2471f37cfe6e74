import { describe, expect, it } from "vitest";
import { awaitedBailleurs, cribAnswerErrors, cribStatusError } from "~/domain/crib";

describe("CRIB list rules", () => {
  it("asks a solution for the flat's commune and typology, and nothing for 'no solution'", () => {
    expect(cribAnswerErrors({ hasSolution: false })).toEqual([]);
    expect(cribAnswerErrors({ hasSolution: true, flatCommune: "59350", flatTypology: "T3" })).toEqual([]);
    expect(cribAnswerErrors({ hasSolution: true })).toEqual([
      "Indiquez la commune du logement proposé (code INSEE à 5 caractères).",
      "Indiquez la typologie du logement proposé (T1 à T6).",
    ]);
    expect(cribAnswerErrors({ hasSolution: true, flatCommune: "Lille", flatTypology: "T3" })).toHaveLength(1);
  });

  it("follows a case from open to rehoused or closed, and no further", () => {
    expect(cribStatusError("open", "rehoused")).toBeNull();
    expect(cribStatusError("open", "closed")).toBeNull();
    expect(cribStatusError("open", "open")).toBe("Ce cas est déjà en cours.");
    expect(cribStatusError("rehoused", "closed")).toBe("Ce cas est déjà relogé : il ne peut plus changer.");
    expect(cribStatusError("closed", "rehoused")).toMatch(/clos sans relogement/);
  });

  it("counts, for each bailleur, the open cases it has not answered, and leaves out those up to date", () => {
    const cases = [
      { id: "c1", status: "open" as const },
      { id: "c2", status: "open" as const },
      { id: "c3", status: "rehoused" as const },
    ];
    const bailleurs = [{ id: "a" }, { id: "b" }, { id: "c" }];
    const answers = [
      { caseId: "c1", bailleurId: "a" },
      { caseId: "c2", bailleurId: "a" },
      { caseId: "c1", bailleurId: "b" },
    ];
    expect(awaitedBailleurs(cases, bailleurs, answers)).toEqual([
      { id: "b", missing: 1 },
      { id: "c", missing: 2 },
    ]);
    expect(awaitedBailleurs([{ id: "c3", status: "closed" }], bailleurs, [])).toEqual([]);
  });
});
