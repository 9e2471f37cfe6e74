import { apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { confirmDeliveriesUpdated } from "~/models/programmes.server";

/** POST /api/v1/delivery-updates/answer — the bailleur confirms its coming deliveries are up to date. */
export const action = apiHandler(async (actor, { request }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez POST.");
  await confirmDeliveriesUpdated(actor);
  return { status: "answered" };
});

export const loader = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : utilisez POST.");
});
