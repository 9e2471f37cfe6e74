import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { cribCaseSchema } from "~/lib/crib-schemas";
import { createdResponse } from "~/lib/signalement-responses";
import { addCribCase } from "~/models/crib.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: cribCaseSchema } };
export const outputs: ApiOutputs = { POST: { 201: createdResponse } };

/** POST /api/v1/crib/sessions/:id/cases — the MEL adds a case to the session's list. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const input = await readJsonBody(request, cribCaseSchema);
  return Response.json(await addCribCase(actor, params.id ?? "", input), { status: 201 });
}, outputs);

export const loader = otherMethods(methods);
