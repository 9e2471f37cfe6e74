import { type ApiMethod, apiHandler, otherMethods, requireMethod } from "~/api/handler.server";
import { confirmDeliveriesUpdated } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["POST"];

/** POST /api/v1/delivery-updates/answer — the bailleur confirms its coming deliveries are up to date. */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  await confirmDeliveriesUpdated(actor);
  return { status: "answered" };
});

export const loader = otherMethods(methods);
