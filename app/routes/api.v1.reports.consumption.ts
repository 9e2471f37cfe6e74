import { type ApiInputs, type ApiMethod, type ApiOutputs, apiHandler } from "~/api/handler.server";
import { jsonBody } from "~/lib/http.server";
import { consumptionReportResponse } from "~/lib/report-responses";
import { consumptionQuerySchema } from "~/lib/report-schemas";
import { consumptionReportBody, parseReportFilters } from "~/models/reports.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const inputs: ApiInputs = { GET: { query: consumptionQuerySchema } };
export const outputs: ApiOutputs = { GET: { 200: consumptionReportResponse } };

/**
 * GET /api/v1/reports/consumption?year=&reservataire=&bailleur=&commune=&state=&empty= — consumption of rights per
 * réservataire × bailleur, as the caller may see it.
 */
export const loader = apiHandler(async (actor, { request }) => {
  const query = parseReportFilters(new URL(request.url).searchParams, consumptionQuerySchema);
  return jsonBody(await consumptionReportBody(actor, query));
}, outputs);
