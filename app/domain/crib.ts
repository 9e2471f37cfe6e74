/**
 * CRIB list: the labelled blocked/complex transfers (MBC) that the CRIB (commission de relogement inter-bailleurs)
 * sends to inter-bailleur (000 art. 8.2; MEL deliberation of 15 Dec 2023: ≥ 15 % of the MEL contingent to MBC).
 * The MEL keeps the list per CRIB session and publishes it to the URH and the bailleurs; each bailleur answers each
 * case (a possible solution, with commune and typology, or none); the URH designates a pilot bailleur and follows
 * the case until it is rehoused or closed. Pure rules.
 */

import { TYPOLOGIES, type Typology } from "./housing";
import { INSEE_CODE_PATTERN } from "./signalement";

export const CRIB_CASE_STATUSES = ["open", "rehoused", "closed"] as const;
export type CribCaseStatus = (typeof CRIB_CASE_STATUSES)[number];
export const CRIB_CASE_STATUS_LABELS: Record<CribCaseStatus, string> = {
  open: "En cours",
  rehoused: "Relogé",
  closed: "Clos sans relogement",
};

export type CribAnswer = {
  hasSolution: boolean;
  flatCommune?: string | null;
  flatTypology?: Typology | null;
};

/** French reasons why an answer is incomplete: a solution names the flat's commune and typology. */
export function cribAnswerErrors(answer: CribAnswer): string[] {
  if (!answer.hasSolution) return [];
  const errors: string[] = [];
  if (!answer.flatCommune || !INSEE_CODE_PATTERN.test(answer.flatCommune))
    errors.push("Indiquez la commune du logement proposé (code INSEE à 5 caractères).");
  if (!answer.flatTypology || !TYPOLOGIES.includes(answer.flatTypology))
    errors.push("Indiquez la typologie du logement proposé (T1 à T6).");
  return errors;
}

/** Null when the URH may move a case from `current` to `next`, else a French reason. */
export function cribStatusError(current: CribCaseStatus, next: CribCaseStatus): string | null {
  if (current !== "open")
    return `Ce cas est déjà ${CRIB_CASE_STATUS_LABELS[current].toLowerCase()} : il ne peut plus changer.`;
  if (next === "open") return "Ce cas est déjà en cours.";
  return null;
}

/**
 * The bailleurs still expected to answer: for each, the open cases it has not answered (a case rehoused or closed
 * awaits nobody). Bailleurs that answered every open case are left out.
 */
export function awaitedBailleurs<B extends { id: string }>(
  cases: Array<{ id: string; status: CribCaseStatus }>,
  bailleurs: B[],
  answers: Array<{ caseId: string; bailleurId: string }>,
): Array<B & { missing: number }> {
  const answered = new Set(answers.map((a) => `${a.caseId}|${a.bailleurId}`));
  const open = cases.filter((c) => c.status === "open");
  return bailleurs
    .map((b) => ({ ...b, missing: open.filter((c) => !answered.has(`${c.id}|${b.id}`)).length }))
    .filter((b) => b.missing > 0);
}
