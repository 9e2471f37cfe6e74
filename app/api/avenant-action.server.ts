import type { ActionFunctionArgs } from "@remix-run/node";
import { asSubject } from "#policies/ability";
import { ensureCanOn } from "#policies/guard.server";
import type { Actor } from "~/lib/actor.server";
import { auditActorOf } from "~/lib/actor.server";
import { contestFormSchema } from "~/lib/cycle-validation";
import { forbidden } from "~/lib/http.server";
import { publicUrl, uuidParam } from "~/lib/route-params.server";
import {
  answerAvenant,
  avenantJson,
  avenantSubject,
  getAvenant,
  organisationNames,
  sendAvenant,
  withdrawAvenant,
} from "~/models/avenants.server";
import { readJsonBody } from "./json-body.server";

/**
 * POST /api/v1/avenants/:id/send|withdraw|accept|contest: the letter must be one the actor may read (else 404), and
 * the actor's role must allow the step (else 403): the réservataire's signataire sends or withdraws, the bailleur's
 * answers.
 */
export async function avenantStep(
  actor: Actor,
  { request, params }: Pick<ActionFunctionArgs, "request" | "params">,
  step: "send" | "withdraw" | "accept" | "contest",
) {
  if (request.method !== "POST") throw new Response(null, { status: 405 });
  const id = uuidParam(params.id, "Ce courrier");
  const row = await getAvenant(id);
  const reservataireStep = step === "send" || step === "withdraw";
  const subject = reservataireStep ? "AvenantSending" : "AvenantAnswer";
  ensureCanOn(actor.ability, "read", "Avenant", row ? avenantSubject(row) : undefined, "Ce courrier");
  // Readable (else 404 above); the step itself is its own subject: 403 when the role or side does not allow it.
  if (!actor.ability.can("create", asSubject(subject, avenantSubject(row!))))
    throw forbidden(
      reservataireStep
        ? "Seul le signataire du réservataire envoie ou retire ce courrier."
        : "Seul le signataire du bailleur accepte ou conteste ce courrier.",
    );
  const who = auditActorOf(actor);
  const baseUrl = publicUrl();
  let updated: Awaited<ReturnType<typeof sendAvenant>>;
  if (step === "send") updated = await sendAvenant(who, { id, event: "send", baseUrl });
  else if (step === "withdraw") updated = await withdrawAvenant(who, { id, baseUrl });
  else if (step === "accept") updated = await answerAvenant(who, { id, event: "accept", baseUrl });
  else {
    const { reason } = await readJsonBody(request, contestFormSchema);
    updated = await answerAvenant(who, { id, event: "contest", reason, baseUrl });
  }
  return avenantJson(updated, await organisationNames(updated));
}
