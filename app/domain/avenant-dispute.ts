import type { AvenantContestPart, AvenantMessageKind } from "#db/schema";

/**
 * The dispute loop of a courrier valant avenant (DESIGN §3; 004 l. 150–154): the bailleur contests H (the assiette,
 * compiled by the État), the rate (the réservataire's), or both, and says why. Each contested part is answered by the
 * party that can change it, with a written reply: the État for H (a revision is a corrected assiette, published as a
 * rectificatif that replaces the letter), the réservataire for its rate (a revision sends a new letter, with a new
 * two-month period). A maintained part's reply goes to the bailleur, who may bring it to the comité de suivi.
 * Pure: the models read the thread and ask here.
 */
export type AnsweredPart = Exclude<AvenantContestPart, "both">;

export type DisputeMessage = { kind: AvenantMessageKind; part: AvenantContestPart; letterVersion: number };

export const CONTEST_PART_LABELS: Record<AvenantContestPart, string> = {
  h: "l'assiette (H)",
  rate: "le taux",
  both: "l'assiette (H) et le taux",
};

/** Who answers each part: the État for H, the réservataire for its rate. */
export const ANSWERING_PARTY: Record<AnsweredPart, "etat" | "reservataire"> = {
  h: "etat",
  rate: "reservataire",
};

export const partsOf = (part: AvenantContestPart): AnsweredPart[] =>
  part === "both" ? ["h", "rate"] : [part];

/** The open contest of the letter's current version (its last contest) and the parts still awaiting an answer. */
export function openDispute(
  thread: DisputeMessage[],
  version: number,
): { contested: AnsweredPart[]; pending: AnsweredPart[]; revised: AnsweredPart[] } | null {
  const current = thread.filter((m) => m.letterVersion === version);
  const contestAt = current.findLastIndex((m) => m.kind === "contest");
  if (contestAt < 0) return null;
  const contested = partsOf(current[contestAt]!.part);
  const answers = current.slice(contestAt + 1).filter((m) => m.kind !== "contest");
  const answered = new Set(answers.map((m) => m.part));
  return {
    contested,
    pending: contested.filter((p) => !answered.has(p)),
    revised: answers.filter((m) => m.kind === "revise").map((m) => m.part as AnsweredPart),
  };
}

/**
 * What the letter becomes once every contested part is answered: the État revising H means a rectificatif will
 * replace the letter (it stays contested until then); otherwise it is sent again (revised rate or maintained as it
 * is) and a new two-month period starts. `null` while a part still awaits its answer.
 */
export function disputeOutcome(dispute: {
  pending: AnsweredPart[];
  revised: AnsweredPart[];
}): "resend" | "await_rectificatif" | null {
  if (dispute.pending.length > 0) return null;
  return dispute.revised.includes("h") ? "await_rectificatif" : "resend";
}

/** The French refusal when `part` cannot be answered now (null when it can). */
export function answerRefusal(
  dispute: ReturnType<typeof openDispute>,
  part: AnsweredPart,
  kind: Exclude<AvenantMessageKind, "contest">,
): string | null {
  const verb = kind === "revise" ? "réviser" : "maintenir";
  if (!dispute) return `Ce courrier n'est pas contesté : il n'y a rien à ${verb}.`;
  if (!dispute.contested.includes(part))
    return `La contestation ne porte pas sur ${CONTEST_PART_LABELS[part]} : il n'y a rien à ${verb} de ce côté.`;
  if (!dispute.pending.includes(part)) return `Une réponse sur ${CONTEST_PART_LABELS[part]} est déjà donnée.`;
  return null;
}
