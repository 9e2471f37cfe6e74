import { type ApiInputs, type ApiMethod, apiHandler } from "~/api/handler.server";
import { jsonBody } from "~/lib/http.server";
import { indicatorFiltersSchema } from "~/lib/report-schemas";
import { indicatorReportBody, parseReportFilters } from "~/models/reports.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const inputs: ApiInputs = { GET: { query: indicatorFiltersSchema } };

/** GET /api/v1/reports/indicators?year=&bailleur=&reservataire=&commune=&qpv= — the art. 11 indicators. */
export const loader = apiHandler(async (actor, { request }) =>
  jsonBody(
    await indicatorReportBody(
      actor,
      parseReportFilters(new URL(request.url).searchParams, indicatorFiltersSchema),
    ),
  ),
);
