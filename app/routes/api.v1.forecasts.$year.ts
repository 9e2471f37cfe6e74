import { z } from "zod";
import { type ApiMethod, apiHandler, requireMethod } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { annexRowJson, ownForecast, saveForecast, yearParam } from "~/models/assiette.server";

const count = z.unknown();
const bodySchema = z.object({
  a: count,
  b: count,
  c: count,
  d: count,
  e: count,
  f: count,
  g: count,
  submit: z.boolean({ error: "submit doit valoir true ou false." }).optional(),
});

export const methods: readonly ApiMethod[] = ["PUT"];

/**
 * A bailleur's forecast for the year (columns A to G). Submitted at once unless `submit: false` (a draft the
 * bailleur may change until it submits). Counts are checked by `forecastErrors` (French messages per column).
 * After the publication a forecast is accepted into the next version (202, `pendingVersion` and a message).
 */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const year = yearParam(params.year);
  const { submit, ...values } = await readJsonBody(request, bodySchema);
  const saved = await saveForecast(actor, {
    year,
    values: values as Record<"a" | "b" | "c" | "d" | "e" | "f" | "g", unknown>,
    submit: submit ?? true,
  });
  const { row } = await ownForecast(actor, year);
  const body = { ...annexRowJson(row!), pendingVersion: saved.pendingVersion, message: saved.message };
  return saved.pendingVersion ? Response.json(body, { status: 202 }) : body;
});
