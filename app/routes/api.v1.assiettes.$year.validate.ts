import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { forecastValidatedResponse } from "~/lib/cycle-responses";
import { validateForecastBodySchema } from "~/lib/cycle-validation";
import { validateForecast, yearParam } from "~/models/assiette.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: validateForecastBodySchema } };
export const outputs: ApiOutputs = { POST: { 200: forecastValidatedResponse } };

/** The État validates a submitted forecast (the page's « Valider »), body `{forecastId}`. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const year = yearParam(params.year);
  const { forecastId } = await readJsonBody(request, validateForecastBodySchema);
  await validateForecast(actor, { year, forecastId });
  return { forecastId, status: "validated" as const };
}, outputs);
