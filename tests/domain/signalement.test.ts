import { describe, expect, it } from "vitest";
import {
  ageInDays,
  eventDetailsErrors,
  eventsAllowed,
  isAwaitingAcknowledgementTooLong,
  isOpenStatus,
  median,
  normaliseNumeroUnique,
  PUBLIC_CATEGORIES,
  PUBLIC_CATEGORY_LABELS,
  parseNumeroUnique,
  positiveIntFromEnv,
  SIGNALEMENT_STATUSES,
  type SignalementStatus,
  STATUS_LABELS,
  transitionError,
} from "~/domain/signalement";

const TODAY = "2026-03-12";

describe("numéro unique", () => {
  it.each([
    ["059 2401 00123 A", "059240100123A"],
    ["059-2401-00123-a", "059240100123A"],
    [" 0592401 00123A ", "059240100123A"],
    ["02A2312123456789Z9", "02A2312123456789Z9"],
    ["974 1805 123456 7", "97418051234567"],
  ])("accepts %j as %s", (raw, value) => {
    expect(parseNumeroUnique(raw)).toEqual({ ok: true, value });
    expect(normaliseNumeroUnique(raw)).toBe(value);
  });

  it.each([
    ["", "Indiquez le numéro unique"],
    ["   ", "Indiquez le numéro unique"],
    ["12345", "invalide"],
    ["059 2413 00123 A", "invalide"], // month 13
    ["059 2401 0012 A", "invalide"], // sequence too short
    ["059 2401 00123", "invalide"], // no key
    ["ABC 2401 00123 A", "invalide"],
    ["059 2401 00123 A!", "invalide"],
  ])("refuses %j with a French explanation of the shape", (raw, start) => {
    const parsed = parseNumeroUnique(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toContain(start);
      expect(parsed.error).toContain("059 2401 00123 A");
      expect(parsed.error).toContain("code du département");
    }
  });
});

describe("status machine", () => {
  const path: SignalementStatus[] = [
    "sent",
    "acknowledged",
    "searching",
    "presented_caleol",
    "caleol_decision",
    "lease_signed",
  ];
  it("lets the bailleur follow the usual path from sent to lease signed", () => {
    for (let i = 1; i < path.length; i++)
      expect(transitionError(path[i - 1]!, path[i]!, "bailleur")).toBeNull();
  });

  it("refuses jumps with a French reason naming the possible steps", () => {
    expect(transitionError("sent", "presented_caleol", "bailleur")).toBe(
      "Passage impossible de « Envoyé » à « Présenté en CALEOL ». Étapes possibles : « Accusé de réception », « Clos ».",
    );
    expect(transitionError("acknowledged", "lease_signed", "bailleur")).toMatch(/^Passage impossible/);
    expect(transitionError("searching", "caleol_decision", "bailleur")).toMatch(/^Passage impossible/);
    expect(transitionError("sent", "acknowledged", "bailleur")).toBeNull();
    expect(transitionError("acknowledged", "acknowledged", "bailleur")).toMatch(/^Passage impossible/);
  });

  it("never creates a second 'sent' and never moves a finished signalement", () => {
    for (const status of SIGNALEMENT_STATUSES)
      expect(transitionError(status, "sent", "bailleur")).toMatch(/envoyé qu'une fois/);
    for (const status of ["lease_signed", "not_retained", "closed"] as const) {
      expect(isOpenStatus(status)).toBe(false);
      for (const type of SIGNALEMENT_STATUSES.filter((t) => t !== "sent")) {
        expect(transitionError(status, type, "bailleur")).toMatch(/terminé/);
        expect(transitionError(status, type, "commune")).toMatch(/terminé/);
      }
    }
  });

  it("lets the household's refusal lead back to a new search (refusals do not end the follow-up)", () => {
    expect(isOpenStatus("refused_by_household")).toBe(true);
    expect(transitionError("caleol_decision", "refused_by_household", "bailleur")).toBeNull();
    expect(transitionError("refused_by_household", "searching", "bailleur")).toBeNull();
    expect(transitionError("caleol_decision", "searching", "bailleur")).toBeNull();
  });

  it("gives the commune only the closing, from any open status, and the follow-up to the bailleur", () => {
    for (const status of SIGNALEMENT_STATUSES.filter(isOpenStatus)) {
      expect(eventsAllowed(status, "commune")).toEqual(["closed"]);
      expect(transitionError(status, "closed", "commune")).toBeNull();
      expect(transitionError(status, "closed", "bailleur")).toBeNull();
    }
    expect(transitionError("sent", "acknowledged", "commune")).toMatch(/saisies par le bailleur/);
    expect(eventsAllowed("sent", "bailleur")).toEqual(["acknowledged", "closed"]);
    expect(eventsAllowed("presented_caleol", "bailleur")).toEqual([
      "caleol_decision",
      "refused_by_household",
      "not_retained",
      "closed",
    ]);
  });

  it("asks for the details each step needs", () => {
    expect(eventDetailsErrors("presented_caleol", {}, "bailleur", TODAY)).toHaveLength(3);
    expect(
      eventDetailsErrors(
        "presented_caleol",
        { caleolDate: "2026-03-12", flatCommune: "59350", flatTypology: "T3" },
        "bailleur",
        TODAY,
      ),
    ).toEqual([]);
    expect(eventDetailsErrors("caleol_decision", { decision: "attribution" }, "bailleur", TODAY)).toEqual([]);
    expect(eventDetailsErrors("lease_signed", { signedOn: "2026-13-01" }, "bailleur", TODAY)).toHaveLength(1);
    expect(eventDetailsErrors("refused_by_household", { reason: "  " }, "bailleur", TODAY)).toEqual([
      "Indiquez le motif du refus du ménage.",
    ]);
    expect(eventDetailsErrors("closed", { closure: "withdrawn_by_commune" }, "bailleur", TODAY)).toEqual([
      "Seule la commune peut retirer son signalement.",
    ]);
    expect(eventDetailsErrors("closed", { closure: "withdrawn_by_commune" }, "commune", TODAY)).toEqual([]);
    expect(eventDetailsErrors("acknowledged", {}, "bailleur", TODAY)).toEqual([]);
  });

  it("refuses a CALEOL or a lease dated after today (Paris day), accepts today", () => {
    expect(eventDetailsErrors("lease_signed", { signedOn: "2026-03-13" }, "bailleur", TODAY)).toEqual([
      "La date de signature du bail (2026-03-13) est dans le futur : saisissez cette étape une fois qu'elle a eu lieu.",
    ]);
    expect(eventDetailsErrors("lease_signed", { signedOn: TODAY }, "bailleur", TODAY)).toEqual([]);
    expect(
      eventDetailsErrors(
        "presented_caleol",
        { caleolDate: "2026-04-01", flatCommune: "59350", flatTypology: "T3" },
        "bailleur",
        TODAY,
      ),
    ).toHaveLength(1);
  });
});

describe("labels and boards", () => {
  it("has a French label for every public and status", () => {
    expect(PUBLIC_CATEGORIES).toEqual([
      "dalo_labellise",
      "pdalhpd_labellise",
      "mbc_labellise",
      "npru",
      "cible_cia_declaree",
      "autre",
    ]);
    for (const c of PUBLIC_CATEGORIES) expect(PUBLIC_CATEGORY_LABELS[c]).toBeTruthy();
    for (const s of SIGNALEMENT_STATUSES) expect(STATUS_LABELS[s]).toBeTruthy();
  });

  it("flags a signalement without acknowledgement after 15 days", () => {
    const sentAt = new Date("2026-03-01T10:00:00Z");
    expect(ageInDays(sentAt, new Date("2026-03-16T09:59:59Z"))).toBe(14);
    expect(isAwaitingAcknowledgementTooLong("sent", sentAt, new Date("2026-03-16T09:59:59Z"))).toBe(false);
    expect(isAwaitingAcknowledgementTooLong("sent", sentAt, new Date("2026-03-16T10:00:00Z"))).toBe(true);
    expect(isAwaitingAcknowledgementTooLong("acknowledged", sentAt, new Date("2026-06-01T00:00:00Z"))).toBe(
      false,
    );
    expect(isAwaitingAcknowledgementTooLong("sent", sentAt, new Date("2026-03-06T10:00:00Z"), 5)).toBe(true);
  });

  it("computes medians and reads settings from the environment", () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([9, 1, 4])).toBe(4);
    expect(median([1, 2, 4, 10])).toBe(3);
    expect(positiveIntFromEnv(undefined, 24)).toBe(24);
    expect(positiveIntFromEnv("36", 24)).toBe(36);
    expect(positiveIntFromEnv("-1", 24)).toBe(24);
    expect(positiveIntFromEnv("abc", 24)).toBe(24);
  });
});
