import { describe, expect, it } from "vitest";
import { AVENANT_STATUSES } from "#db/schema";
import {
  type AvenantEvent,
  canApply,
  isAccepted,
  isEditable,
  nextStatus,
  refusal,
} from "~/domain/avenant-status";
import { avenantRateError, ratesFor, reservataireRateBp } from "~/domain/rights";

describe("avenant status machine", () => {
  it("follows draft → sent → accepted | contested | tacitly accepted", () => {
    expect(nextStatus("draft", "send")).toBe("sent");
    expect(nextStatus("sent", "accept")).toBe("accepted");
    expect(nextStatus("sent", "contest")).toBe("contested");
    expect(nextStatus("sent", "tacit_acceptance")).toBe("tacitly_accepted");
  });

  it("sends a contested letter again once answered, revised (a new letter) or maintained", () => {
    expect(nextStatus("contested", "revise")).toBe("sent");
    expect(nextStatus("contested", "maintain")).toBe("sent");
    expect(nextStatus("contested", "withdraw")).toBe("withdrawn");
  });

  it("lets the réservataire withdraw a letter until it is answered: draft, sent or contested, never accepted", () => {
    expect(AVENANT_STATUSES.filter((s) => canApply(s, "withdraw"))).toEqual(["draft", "sent", "contested"]);
    expect(refusal("withdrawn", "withdraw")).toBe("Ce courrier est déjà retiré.");
    expect(refusal("accepted", "withdraw")).toBe("Action impossible : le courrier est « accepté ».");
  });

  it("refuses a second answer, an answer to a draft and any change to an accepted letter", () => {
    expect(nextStatus("accepted", "accept")).toBeNull();
    expect(refusal("accepted", "accept")).toBe("Ce courrier est déjà accepté.");
    expect(refusal("tacitly_accepted", "accept")).toBe("Ce courrier est déjà accepté.");
    expect(canApply("draft", "accept")).toBe(false);
    expect(canApply("contested", "contest")).toBe(false);
    expect(canApply("sent", "send")).toBe(false);
    const events: AvenantEvent[] = [
      "send",
      "accept",
      "contest",
      "tacit_acceptance",
      "revise",
      "maintain",
      "withdraw",
    ];
    for (const terminal of ["accepted", "tacitly_accepted", "withdrawn"] as const)
      for (const event of events) expect(nextStatus(terminal, event), `${terminal} ${event}`).toBeNull();
  });

  it("never reaches tacit acceptance except from sent, and only drafts are editable", () => {
    for (const status of AVENANT_STATUSES)
      expect(canApply(status, "tacit_acceptance")).toBe(status === "sent");
    expect(AVENANT_STATUSES.filter(isEditable)).toEqual(["draft"]);
    expect(AVENANT_STATUSES.filter(isAccepted)).toEqual(["accepted", "tacitly_accepted"]);
  });
});

describe("rate stated in a réservataire's letter", () => {
  it("adds the ALS rétrocession to its negotiated contingent and gives the MEL nothing on Partenord Habitat", () => {
    expect(reservataireRateBp("action_logement", ratesFor("vilogia", { action_logement: 1200 }))).toBe(1330);
    expect(reservataireRateBp("metropole", ratesFor("partenord-habitat"))).toBe(0);
    expect(reservataireRateBp("metropole", ratesFor("vilogia"))).toBe(2000);
    expect(reservataireRateBp("etat", ratesFor("vilogia"))).toBe(2870);
    expect(reservataireRateBp("sicf", ratesFor("icf-habitat-nord-est", { sicf: 1000 }))).toBe(1000);
    expect(reservataireRateBp("departement", ratesFor("vilogia"))).toBe(0);
  });
});

describe("rate of a revised letter", () => {
  it("keeps each réservataire within the convention cadre's ceilings", () => {
    expect(avenantRateError("etat", 2870)).toBeNull();
    expect(avenantRateError("etat", 2900)).toMatch(/28,7 %/);
    expect(avenantRateError("action_logement", 2630)).toBeNull();
    expect(avenantRateError("action_logement", 2640)).toMatch(/25 %/);
    expect(avenantRateError("sicf", 3100)).toMatch(/30 %/);
    expect(avenantRateError("metropole", 2100)).toMatch(/20 %/);
    expect(avenantRateError("metropole", 0)).toMatch(/compris/);
    expect(avenantRateError("metropole", 10_100)).toMatch(/100 %/);
  });
});
