import { type ApiMethod, type ApiOutputs, apiHandler, requireMethod } from "~/api/handler.server";
import { conventionResponse } from "~/lib/convention-responses";
import { publicUrl } from "~/lib/route-params.server";
import { readableConvention, signConvention } from "~/models/conventions.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const outputs: ApiOutputs = { POST: { 200: conventionResponse } };

/** POST /api/v1/conventions/:id/sign: the actor's organisation signs (its signataire only; once). */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const signed = await signConvention(actor, params.id, publicUrl());
  return (await readableConvention(actor, signed.id)).json;
}, outputs);
