import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { avenantYearSchema } from "~/lib/avenant-validation";
import { avenantsSentResponse } from "~/lib/cycle-responses";
import { publicUrl } from "~/lib/route-params.server";
import { sendAllAvenants } from "~/models/avenants.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: avenantYearSchema } };
export const outputs: ApiOutputs = { POST: { 200: avenantsSentResponse } };

/** POST /api/v1/avenants/send `{year}`: sends every draft of the year of the caller's organisation. */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  const { year } = await readJsonBody(request, avenantYearSchema);
  return sendAllAvenants(actor, { year, baseUrl: publicUrl() });
}, outputs);
