import { describe, expect, it } from "vitest";
import {
  type FrozenRow,
  pendingChanges,
  rectifyReasonError,
  rowChange,
  versionLabel,
} from "~/domain/assiette-version";

const row = (a: number, c: number, rates: Record<string, number> = { etat: 2870, mel: 2000 }): FrozenRow => ({
  a,
  b: 0,
  c,
  d: 0,
  e: 0,
  f: 0,
  g: 0,
  rates,
});

describe("what the next version changes", () => {
  it("names each changed column with its old and new value, H included", () => {
    expect(rowChange("v", row(1500, 50), row(1500, 100))).toEqual({
      bailleurId: "v",
      kind: "changed",
      columns: [
        { column: "c", before: 50, after: 100 },
        { column: "h", before: 1450, after: 1400 },
      ],
    });
  });

  it("names a rate signed since the last version (a contingent absent before counts as 0)", () => {
    const change = rowChange("v", row(100, 0), row(100, 0, { etat: 2870, mel: 2000, action_logement: 1850 }));
    expect(change?.columns).toEqual([{ column: "rate:action_logement", before: 0, after: 1850 }]);
  });

  it("adds a late row with every column, and leaves unchanged rows out", () => {
    const frozen = new Map([["same", row(10, 0)]]);
    const current = new Map([
      ["same", row(10, 0)],
      ["late", row(400, 100)],
    ]);
    const changes = pendingChanges(frozen, current);
    expect(changes.map((c) => [c.bailleurId, c.kind])).toEqual([["late", "added"]]);
    expect(changes[0]!.columns.find((c) => c.column === "h")).toEqual({
      column: "h",
      before: null,
      after: 300,
    });
  });
});

describe("the rectificatif's reason and the version's label", () => {
  it("requires a reason of 10 to 2 000 characters", () => {
    expect(rectifyReasonError(undefined)).toMatch(/motif/);
    expect(rectifyReasonError("   court  ")).toMatch(/10 caractères/);
    expect(rectifyReasonError("x".repeat(2001))).toMatch(/2 000/);
    expect(rectifyReasonError("Prévision tardive de CDC Habitat.")).toBeNull();
  });

  it("names the version and its date in Paris", () => {
    expect(versionLabel({ year: 2026, version: 1, publishedAt: new Date("2026-02-27T23:30:00Z") })).toBe(
      "assiette de référence 2026, version 1 (publiée le 28 février 2026)",
    );
    expect(versionLabel({ year: 2026, version: 2, publishedAt: "2026-03-12T10:00:00Z" })).toBe(
      "assiette de référence 2026, version 2 (rectificatif du 12 mars 2026)",
    );
  });
});
