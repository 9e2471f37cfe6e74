import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { publicUrl } from "~/lib/route-params.server";
import { signalementStepResponse } from "~/lib/signalement-responses";
import { signalementEventSchema } from "~/lib/signalement-schemas";
import { recordSignalementEvent } from "~/models/signalements.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: signalementEventSchema } };
export const outputs: ApiOutputs = { POST: { 201: signalementStepResponse } };

/** POST /api/v1/signalements/:id/events — records a follow-up step (policy and status machine in the model). */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const input = await readJsonBody(request, signalementEventSchema);
  const result = await recordSignalementEvent(actor, params.id ?? "", input, { baseUrl: publicUrl() });
  return Response.json(result, { status: 201 });
}, outputs);

export const loader = otherMethods(methods);
