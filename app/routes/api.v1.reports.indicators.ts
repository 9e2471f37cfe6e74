import { type ApiInputs, type ApiMethod, type ApiOutputs, apiHandler } from "~/api/handler.server";
import { jsonBody } from "~/lib/http.server";
import { indicatorReportResponse } from "~/lib/report-responses";
import { indicatorFiltersSchema } from "~/lib/report-schemas";
import { indicatorReportBody, parseReportFilters } from "~/models/reports.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const inputs: ApiInputs = { GET: { query: indicatorFiltersSchema } };
export const outputs: ApiOutputs = { GET: { 200: indicatorReportResponse } };

/** GET /api/v1/reports/indicators?year=&bailleur=&reservataire=&commune=&qpv= — the art. 11 indicators. */
export const loader = apiHandler(
  async (actor, { request }) =>
    jsonBody(
      await indicatorReportBody(
        actor,
        parseReportFilters(new URL(request.url).searchParams, indicatorFiltersSchema),
      ),
    ),
  outputs,
);
