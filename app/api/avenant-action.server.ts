import type { ActionFunctionArgs } from "@remix-run/node";
import type { Actor } from "~/lib/actor.server";
import { contestSchema, maintainSchema, reviseSchema } from "~/lib/avenant-validation";
import { publicUrl, uuidParam } from "~/lib/route-params.server";
import {
  acceptAvenant,
  contestAvenant,
  maintainAvenant,
  readAvenant,
  reviseAvenant,
  sendAvenant,
  withdrawAvenant,
} from "~/models/avenants.server";
import { requireMethod } from "./handler.server";
import { readJsonBody } from "./json-body.server";

export type AvenantStep = "send" | "withdraw" | "accept" | "contest" | "revise" | "maintain";

/**
 * POST /api/v1/avenants/:id/<step>: parses the body and calls the step's model function, which asks the policy
 * (another organisation's letter: 404; a role or side that may not: 403) and answers the letter as GET would.
 */
export async function avenantStep(
  actor: Actor,
  { request, params }: Pick<ActionFunctionArgs, "request" | "params">,
  step: AvenantStep,
) {
  requireMethod(request, ["POST"]);
  const id = uuidParam(params.id, "Ce courrier");
  const options = { id, baseUrl: publicUrl() };
  if (step === "send") await sendAvenant(actor, options);
  else if (step === "withdraw") await withdrawAvenant(actor, options);
  else if (step === "accept") await acceptAvenant(actor, options);
  else if (step === "contest")
    await contestAvenant(actor, { ...options, ...(await readJsonBody(request, contestSchema)) });
  else if (step === "revise")
    await reviseAvenant(actor, { ...options, ...(await readJsonBody(request, reviseSchema)) });
  else await maintainAvenant(actor, { ...options, ...(await readJsonBody(request, maintainSchema)) });
  return readAvenant(actor, id);
}
