import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { comiteResponse, comiteStepResponse, minutesRecordedResponse } from "~/lib/programme-responses";
import { comiteActionSchema, minutesSchema } from "~/lib/programme-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { conveneComite, getComite, publishReporting, recordMinutes } from "~/models/comites.server";

export const methods: readonly ApiMethod[] = ["GET", "POST", "PUT"];
export const inputs: ApiInputs = { POST: { body: comiteActionSchema }, PUT: { body: minutesSchema } };
export const outputs: ApiOutputs = {
  GET: { 200: comiteResponse },
  POST: { 200: comiteStepResponse },
  PUT: { 200: minutesRecordedResponse },
};

/** GET /api/v1/comites/:id — the meeting, who is invited, minutes, decisions and the list of documents. */
export const loader = apiHandler(async (actor, { params }) => {
  const { canManage: _, ...comite } = await getComite(actor, params.id ?? "");
  return comite;
}, outputs);

/**
 * POST /api/v1/comites/:id `{ "action": "convene" | "publish" }` — send the convocation / publish the reporting;
 * PUT /api/v1/comites/:id `{ minutes, decisions }` — record the minutes.
 */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const id = params.id ?? "";
  if (request.method === "PUT") {
    await recordMinutes(actor, id, await readJsonBody(request, minutesSchema));
    return { status: "minutes_recorded" };
  }
  const { action } = await readJsonBody(request, comiteActionSchema);
  if (action === "convene") await conveneComite(actor, id, publicUrl());
  else await publishReporting(actor, id, publicUrl());
  return { status: action === "convene" ? "convened" : "published" };
}, outputs);
