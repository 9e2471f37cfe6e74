import { describe, expect, it } from "vitest";
import { bilanStatus, proposedError } from "~/domain/bilan";

/** 004 l. 447: « avant le 28 février » of the next year, in Paris. */
describe("bilanStatus", () => {
  const at = (iso: string) => new Date(iso);
  it("is not due while the year runs", () => {
    expect(bilanStatus(2026, null, at("2026-11-30T10:00:00Z"))).toBe("not_due");
  });
  it("is to send until 27 February in Paris, late from 28 February", () => {
    expect(bilanStatus(2025, null, at("2026-01-02T10:00:00Z"))).toBe("to_send");
    expect(bilanStatus(2025, null, at("2026-02-27T22:59:00Z"))).toBe("to_send"); // 23:59 in Paris
    expect(bilanStatus(2025, null, at("2026-02-27T23:00:00Z"))).toBe("late"); // midnight in Paris
  });
  it("is sent, or sent late when sent from 28 February", () => {
    const now = at("2026-06-01T10:00:00Z");
    expect(bilanStatus(2025, at("2026-02-20T10:00:00Z"), now)).toBe("sent");
    expect(bilanStatus(2025, at("2026-03-02T10:00:00Z"), now)).toBe("sent_late");
  });
});

describe("proposedError", () => {
  it("accepts a whole number from 0, refuses anything else in French", () => {
    expect(proposedError(0)).toBeNull();
    expect(proposedError(240)).toBeNull();
    for (const bad of [-1, 1.5, Number.NaN, "12", null, 100_001])
      expect(proposedError(bad)).toMatch(/nombre entier positif ou nul/);
  });
});
