import { type ApiMethod, type ApiOutputs, apiHandler, requireMethod } from "~/api/handler.server";
import { remindedResponse } from "~/lib/cycle-responses";
import { publicUrl } from "~/lib/route-params.server";
import { remindMissingForecasts, yearParam } from "~/models/assiette.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const outputs: ApiOutputs = { POST: { 200: remindedResponse } };

/** The État reminds every bailleur that has not submitted its forecast (the page's « Relancer »), before publishing. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  return remindMissingForecasts(actor, yearParam(params.year), publicUrl());
}, outputs);
