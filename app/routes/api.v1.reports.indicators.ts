import { apiHandler } from "~/api/handler.server";
import { indicatorFiltersSchema } from "~/lib/report-schemas";
import { indicatorReport, parseReportFilters } from "~/models/reports.server";

/** GET /api/v1/reports/indicators?year=&bailleur=&reservataire=&commune=&qpv= — the art. 11 indicators. */
export const loader = apiHandler(async (actor, { request }) =>
  indicatorReport(actor, parseReportFilters(new URL(request.url).searchParams, indicatorFiltersSchema)),
);
