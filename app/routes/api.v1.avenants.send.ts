import { type ApiInputs, type ApiMethod, apiHandler, requireMethod } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { avenantYearSchema } from "~/lib/avenant-validation";
import { publicUrl } from "~/lib/route-params.server";
import { sendAllAvenants } from "~/models/avenants.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: avenantYearSchema } };

/** POST /api/v1/avenants/send `{year}`: sends every draft of the year of the caller's organisation. */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  const { year } = await readJsonBody(request, avenantYearSchema);
  return sendAllAvenants(actor, { year, baseUrl: publicUrl() });
});
