import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
} from "~/api/handler.server";
import { calendarResponse } from "~/lib/programme-responses";
import { consumptionFiltersSchema } from "~/lib/report-schemas";
import { calendarJson, calendarOf } from "~/models/calendar.server";
import { parseReportFilters } from "~/models/reports.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const inputs: ApiInputs = { GET: { query: consumptionFiltersSchema } };
export const outputs: ApiOutputs = { GET: { 200: calendarResponse } };

/**
 * GET /api/v1/calendar?year= — the caller's organisation's obligations of the year (the current one by default):
 * `[{ kind, dueAt, status, doneAt, subject }]`.
 */
export const loader = apiHandler(async (actor, { request }) => {
  const { year } = parseReportFilters(new URL(request.url).searchParams, consumptionFiltersSchema);
  return (await calendarOf(actor, new Date(), year)).map(calendarJson);
}, outputs);

export const action = otherMethods(methods);
