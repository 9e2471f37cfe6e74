import {
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { publicUrl } from "~/lib/route-params.server";
import { cribPublishedResponse } from "~/lib/signalement-responses";
import { publishCribSession } from "~/models/crib.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const outputs: ApiOutputs = { POST: { 200: cribPublishedResponse } };

/** POST /api/v1/crib/sessions/:id/publish — the MEL publishes the list to the URH and the bailleurs. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  await publishCribSession(actor, params.id ?? "", publicUrl());
  return { published: true };
}, outputs);

export const loader = otherMethods(methods);
