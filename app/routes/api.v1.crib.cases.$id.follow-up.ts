import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { cribFollowSchema } from "~/lib/crib-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { cribUpdatedResponse } from "~/lib/signalement-responses";
import { followCribCase } from "~/models/crib.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: cribFollowSchema } };
export const outputs: ApiOutputs = { POST: { 200: cribUpdatedResponse } };

/** POST /api/v1/crib/cases/:id/follow-up — the URH designates the pilot bailleur and/or records the outcome. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const input = await readJsonBody(request, cribFollowSchema);
  await followCribCase(actor, params.id ?? "", input, publicUrl());
  return { updated: true };
}, outputs);

export const loader = otherMethods(methods);
