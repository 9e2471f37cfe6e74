import { apiHandler } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { httpError } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { signalementEventSchema } from "~/lib/signalement-schemas";
import { recordSignalementEvent } from "~/models/signalements.server";

/** POST /api/v1/signalements/:id/events — records a follow-up step (policy and status machine in the model). */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez POST.");
  const input = await readJsonBody(request, signalementEventSchema);
  const result = await recordSignalementEvent(actor, params.id ?? "", input, { baseUrl: publicUrl() });
  return Response.json(result, { status: 201 });
});

export const loader = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : l'historique est dans GET /signalements/{id}.");
});
