import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { cribAnswerSchema } from "~/lib/crib-schemas";
import { cribAnsweredResponse } from "~/lib/signalement-responses";
import { answerCribCase } from "~/models/crib.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: cribAnswerSchema } };
export const outputs: ApiOutputs = { POST: { 200: cribAnsweredResponse } };

/** POST /api/v1/crib/cases/:id/answers — a bailleur's answer (a possible solution, or none). */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const input = await readJsonBody(request, cribAnswerSchema);
  await answerCribCase(actor, params.id ?? "", input);
  return { answered: true };
}, outputs);

export const loader = otherMethods(methods);
