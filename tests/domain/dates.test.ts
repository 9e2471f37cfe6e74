import { describe, expect, it } from "vitest";
import { formatDay, formatParis, isIsoDay, noonUtcOf, parisDay, parisYear } from "~/lib/dates";
import { int4, isInt4 } from "~/lib/input-fields";

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

describe("calendar days", () => {
  it("writes a stored day as itself, on the days the clocks change too", () => {
    expect(formatDay("2025-03-30")).toBe("30 mars 2025");
    expect(formatDay("2025-10-26")).toBe("26 octobre 2025");
    expect(formatDay("2027-03-01")).toBe("1er mars 2027");
    expect(formatDay("2025-12-31", "dd/MM/yyyy")).toBe("31/12/2025");
    // The instant is inside the day in Paris, winter and summer alike.
    expect(formatParis(noonUtcOf("2025-03-30"), "yyyy-MM-dd HH:mm")).toBe("2025-03-30 14:00");
    expect(formatParis(noonUtcOf("2025-01-15"), "yyyy-MM-dd HH:mm")).toBe("2025-01-15 13:00");
  });

  it("gives today and this year in Paris, which change before UTC's", () => {
    expect(parisDay(new Date("2025-03-29T23:30:00Z"))).toBe("2025-03-30");
    expect(parisDay(new Date("2025-07-14T21:59:00Z"))).toBe("2025-07-14");
    expect(parisDay(new Date("2025-07-14T22:00:00Z"))).toBe("2025-07-15");
    expect(parisYear(new Date("2025-12-31T22:59:00Z"))).toBe(2025);
    expect(parisYear(new Date("2025-12-31T23:00:00Z"))).toBe(2026);
  });
});

describe("isIsoDay", () => {
  it("accepts the days that exist, 29 February of leap years included", () => {
    for (const day of ["2025-01-15", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"])
      expect(isIsoDay(day)).toBe(true);
  });

  it("refuses impossible days, other spellings and year 0 (which the database refuses)", () => {
    for (const day of ["2026-02-30", "2025-02-29", "1900-02-29", "2025-13-01", "2025-04-31", "2025-00-10"])
      expect(isIsoDay(day)).toBe(false);
    for (const other of ["0000-01-01", "15/01/2025", "2025-1-5", "2025-01-15T00:00:00Z", "", null, 20250115])
      expect(isIsoDay(other)).toBe(false);
  });
});

describe("int4", () => {
  it("keeps whole numbers the database's integer holds, and names the limit beyond", () => {
    expect(isInt4(2_147_483_647)).toBe(true);
    expect(isInt4(-2_147_483_647)).toBe(true);
    for (const value of [2_147_483_648, 1e300, 0.5, Number.NaN, "12"]) expect(isInt4(value)).toBe(false);
    const field = int4("Indiquez un nombre entier.", { coerce: true });
    expect(field.parse("12")).toBe(12);
    expect(field.safeParse("99999999999").error?.issues[0]?.message).toBe(
      "Nombre trop grand (2 147 483 647 au plus). Indiquez un nombre entier.",
    );
    expect(field.safeParse("douze").error?.issues[0]?.message).toBe("Indiquez un nombre entier.");
  });
});
