import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { ownForecastResponse } from "~/lib/cycle-responses";
import { forecastBodySchema } from "~/lib/cycle-validation";
import { annexRowJson, ownForecast, saveForecast, yearParam } from "~/models/assiette.server";

export const methods: readonly ApiMethod[] = ["PUT"];
export const inputs: ApiInputs = { PUT: { body: forecastBodySchema } };
export const outputs: ApiOutputs = { PUT: { 200: ownForecastResponse, 202: ownForecastResponse } };

/**
 * A bailleur's forecast for the year (columns A to G). Submitted at once unless `submit: false` (a draft the
 * bailleur may change until it submits). Counts are checked by `forecastErrors` (French messages per column).
 * After the publication a forecast is accepted into the next version (202, `pendingVersion` and a message).
 */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const year = yearParam(params.year);
  const { submit, ...values } = await readJsonBody(request, forecastBodySchema);
  const saved = await saveForecast(actor, { year, values, submit });
  const { row } = await ownForecast(actor, year);
  const body = { ...annexRowJson(row!), pendingVersion: saved.pendingVersion, message: saved.message };
  return saved.pendingVersion ? Response.json(body, { status: 202 }) : body;
}, outputs);
