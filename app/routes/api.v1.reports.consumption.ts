import { apiHandler } from "~/api/handler.server";
import { jsonBody } from "~/lib/http.server";
import { consumptionFiltersSchema } from "~/lib/report-schemas";
import { consumptionReportBody, parseReportFilters } from "~/models/reports.server";

/** GET /api/v1/reports/consumption?year= — consumption of rights per réservataire × bailleur, as the caller may see. */
export const loader = apiHandler(async (actor, { request }) => {
  const { year } = parseReportFilters(new URL(request.url).searchParams, consumptionFiltersSchema);
  return jsonBody(await consumptionReportBody(actor, year));
});
