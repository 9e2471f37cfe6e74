import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { recommendationRecordedResponse } from "~/lib/programme-responses";
import { recommendationSchema } from "~/lib/programme-schemas";
import { recommend } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: recommendationSchema } };
export const outputs: ApiOutputs = { POST: { 201: recommendationRecordedResponse } };

/** POST /api/v1/programmes/:id/recommendations — a réservataire concerned answers `{ text }`. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const { text } = await readJsonBody(request, recommendationSchema);
  await recommend(actor, params.id ?? "", text);
  return Response.json({ status: "recorded" }, { status: 201 });
}, outputs);

export const loader = otherMethods(methods);
