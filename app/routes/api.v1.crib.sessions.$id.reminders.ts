import {
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { publicUrl } from "~/lib/route-params.server";
import { cribRemindedResponse } from "~/lib/signalement-responses";
import { remindCribBailleurs } from "~/models/crib.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const outputs: ApiOutputs = { POST: { 200: cribRemindedResponse } };

/** POST /api/v1/crib/sessions/:id/reminders — the MEL or the URH reminds the bailleurs that have not answered. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  return remindCribBailleurs(actor, params.id ?? "", publicUrl());
}, outputs);

export const loader = otherMethods(methods);
