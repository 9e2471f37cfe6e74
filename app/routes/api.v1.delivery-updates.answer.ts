import {
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { deliveriesAnsweredResponse } from "~/lib/programme-responses";
import { confirmDeliveriesUpdated } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const outputs: ApiOutputs = { POST: { 200: deliveriesAnsweredResponse } };

/** POST /api/v1/delivery-updates/answer — the bailleur confirms its coming deliveries are up to date. */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  await confirmDeliveriesUpdated(actor);
  return { status: "answered" };
}, outputs);

export const loader = otherMethods(methods);
