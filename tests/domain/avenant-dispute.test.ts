import { describe, expect, it } from "vitest";
import { answerRefusal, type DisputeMessage, disputeOutcome, openDispute } from "~/domain/avenant-dispute";

const contest = (part: DisputeMessage["part"], letterVersion = 1): DisputeMessage => ({
  kind: "contest",
  part,
  letterVersion,
});
const answer = (kind: "revise" | "maintain", part: "h" | "rate", letterVersion = 1): DisputeMessage => ({
  kind,
  part,
  letterVersion,
});

describe("dispute loop", () => {
  it("waits for both answers when H and the rate are contested, then sends the letter again", () => {
    const thread = [contest("both")];
    expect(openDispute(thread, 1)).toMatchObject({ contested: ["h", "rate"], pending: ["h", "rate"] });
    const halfway = openDispute([...thread, answer("maintain", "h")], 1)!;
    expect(halfway.pending).toEqual(["rate"]);
    expect(disputeOutcome(halfway)).toBeNull();
    expect(
      disputeOutcome(openDispute([...thread, answer("maintain", "h"), answer("revise", "rate")], 1)!),
    ).toBe("resend");
  });

  it("leaves the letter to the rectificatif when the État revises H", () => {
    expect(disputeOutcome(openDispute([contest("h"), answer("revise", "h")], 1)!)).toBe("await_rectificatif");
  });

  it("reads only the current version's last contest", () => {
    const thread = [contest("h"), answer("maintain", "h"), contest("rate", 2)];
    expect(openDispute(thread, 2)).toMatchObject({ contested: ["rate"], pending: ["rate"] });
    expect(openDispute(thread, 3)).toBeNull();
  });

  it("explains why an answer is refused", () => {
    expect(answerRefusal(null, "rate", "revise")).toMatch(/n'est pas contesté/);
    expect(answerRefusal(openDispute([contest("rate")], 1), "h", "maintain")).toMatch(
      /ne porte pas sur l'assiette/,
    );
    expect(
      answerRefusal(openDispute([contest("rate"), answer("maintain", "rate")], 1), "rate", "revise"),
    ).toMatch(/déjà donnée/);
    expect(answerRefusal(openDispute([contest("rate")], 1), "rate", "revise")).toBeNull();
  });
});
