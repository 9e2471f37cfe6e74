import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { splitRecordedResponse } from "~/lib/programme-responses";
import { splitSchema } from "~/lib/programme-schemas";
import { recordSplit } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["PUT"];
export const inputs: ApiInputs = { PUT: { body: splitSchema } };
export const outputs: ApiOutputs = { PUT: { 200: splitRecordedResponse } };

/** PUT /api/v1/programmes/:id/split — the bailleur records the final split `{ allocations: [...] }`. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  await recordSplit(actor, params.id ?? "", await readJsonBody(request, splitSchema));
  return { status: "split_recorded" };
}, outputs);

export const loader = otherMethods(methods);
