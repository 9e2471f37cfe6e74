import type { AvenantStatus } from "#db/schema";

/**
 * The life of a courrier valant avenant (004 line 154; model convention art. 2, line 593): the réservataire drafts
 * and sends it; the bailleur accepts or contests it before the end of the two-month period, or it is deemed
 * accepted; a contested letter is answered part by part (app/domain/avenant-dispute.ts), then sent again, revised or
 * maintained, with a new period. Before an answer (draft, sent within its period, contested) the réservataire may
 * withdraw it.
 * One place for the transitions: the models, the job and the screens ask here.
 */
export type AvenantEvent =
  | "send"
  | "accept"
  | "contest"
  | "tacit_acceptance"
  | "revise"
  | "maintain"
  | "withdraw";

const TRANSITIONS: Record<AvenantStatus, Partial<Record<AvenantEvent, AvenantStatus>>> = {
  draft: { send: "sent", withdraw: "withdrawn" },
  // The réservataire may withdraw its letter until the bailleur answers or the period ends.
  sent: {
    accept: "accepted",
    contest: "contested",
    tacit_acceptance: "tacitly_accepted",
    withdraw: "withdrawn",
  },
  // Once every contested part is answered: sent again, revised (a new letter) or as it was (a new period).
  contested: { revise: "sent", maintain: "sent", withdraw: "withdrawn" },
  accepted: {},
  tacitly_accepted: {},
  withdrawn: {},
  // A rectificatif of the assiette replaced it by a new letter (replacedBy): nothing more happens to it.
  replaced: {},
};

/** The status after `event`, or null when the event is not allowed from `status`. */
export function nextStatus(status: AvenantStatus, event: AvenantEvent): AvenantStatus | null {
  return TRANSITIONS[status][event] ?? null;
}

export const canApply = (status: AvenantStatus, event: AvenantEvent) => nextStatus(status, event) !== null;

/** Accepted letters, explicitly or tacitly: their rights are the year's rights. */
export const isAccepted = (status: AvenantStatus) => status === "accepted" || status === "tacitly_accepted";

/** Only a draft may be changed: a sent letter is frozen. */
export const isEditable = (status: AvenantStatus) => status === "draft";

export const AVENANT_STATUS_LABELS: Record<AvenantStatus, string> = {
  draft: "Brouillon",
  sent: "Envoyé, en attente de réponse",
  accepted: "Accepté",
  contested: "Contesté",
  tacitly_accepted: "Accepté tacitement",
  withdrawn: "Retiré",
  replaced: "Remplacé",
};

/** French reason why `event` is refused from `status` (for 409 answers). */
export function refusal(status: AvenantStatus, event: AvenantEvent): string {
  const label = AVENANT_STATUS_LABELS[status].toLowerCase();
  if (event === "accept" && isAccepted(status)) return "Ce courrier est déjà accepté.";
  if ((event === "accept" || event === "contest") && status === "contested")
    return "Ce courrier est déjà contesté : le réservataire doit le réviser ou le maintenir.";
  if (event === "send" && status === "sent") return "Ce courrier est déjà envoyé.";
  if (event === "withdraw" && status === "withdrawn") return "Ce courrier est déjà retiré.";
  return `Action impossible : le courrier est « ${label} ».`;
}
