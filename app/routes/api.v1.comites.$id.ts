import { type ApiMethod, apiHandler, requireMethod } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { httpError } from "~/lib/http.server";
import { minutesSchema } from "~/lib/programme-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { conveneComite, getComite, publishReporting, recordMinutes } from "~/models/comites.server";

export const methods: readonly ApiMethod[] = ["GET", "POST", "PUT"];

/** GET /api/v1/comites/:id — the meeting, who is invited, minutes, decisions and the list of documents. */
export const loader = apiHandler(async (actor, { params }) => {
  const { canManage: _, ...comite } = await getComite(actor, params.id ?? "");
  return comite;
});

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
  const body = (await request.json().catch(() => ({}))) as { action?: string };
  if (body.action === "convene") await conveneComite(actor, id, publicUrl());
  else if (body.action === "publish") await publishReporting(actor, id, publicUrl());
  else throw httpError(400, "Indiquez l'action : « convene » (convocation) ou « publish » (reporting).");
  return { status: body.action === "convene" ? "convened" : "published" };
});
