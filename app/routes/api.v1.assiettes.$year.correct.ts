import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { forecastStepResponse } from "~/lib/cycle-responses";
import { correctForecastBodySchema } from "~/lib/cycle-validation";
import { correctForecast, yearParam } from "~/models/assiette.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: correctForecastBodySchema } };
export const outputs: ApiOutputs = { POST: { 200: forecastStepResponse, 202: forecastStepResponse } };

/**
 * The État corrects a bailleur's columns (the page's « Corriger »), body `{bailleurId, a…g}`. After the publication
 * the correction waits for the next version (202, `pendingVersion` and a message).
 */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const year = yearParam(params.year);
  const { bailleurId, ...values } = await readJsonBody(request, correctForecastBodySchema);
  const saved = await correctForecast(actor, { year, bailleurId, values });
  const { id, status, a, b, c, d, e, f, g } = saved.forecast;
  const body = {
    forecastId: id,
    bailleurId,
    status,
    forecast: { a, b, c, d, e, f, g },
    pendingVersion: saved.pendingVersion,
    message: saved.message,
  };
  return saved.pendingVersion ? Response.json(body, { status: 202 }) : body;
}, outputs);
