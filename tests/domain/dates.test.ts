import { describe, expect, it } from "vitest";
import { formatParis } from "~/lib/dates";

describe("formatParis", () => {
  it("shows a UTC instant at Paris time, winter and summer alike", () => {
    expect(formatParis(new Date("2025-01-15T08:05:00Z"))).toBe("15 janvier 2025 à 09:05");
    expect(formatParis("2025-07-14T22:30:00Z")).toBe("15 juillet 2025 à 00:30");
  });

  it("changes day with Paris, not with UTC, around the clock change", () => {
    expect(formatParis("2025-03-29T23:30:00Z", "d MMM yyyy HH:mm")).toBe("30 mars 2025 00:30");
    expect(formatParis("2025-03-30T01:30:00Z", "d MMM yyyy HH:mm")).toBe("30 mars 2025 03:30");
  });
});
