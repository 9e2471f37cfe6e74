import { signAs } from "~/api/convention-access.server";
import { type ApiMethod, apiHandler, requireMethod } from "~/api/handler.server";
import { publicUrl } from "~/lib/route-params.server";
import { getConvention } from "~/models/conventions.server";

export const methods: readonly ApiMethod[] = ["POST"];

/** POST /api/v1/conventions/:id/sign: the actor's organisation signs (its signataire only; once). */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const signed = await signAs(actor, params.id, publicUrl());
  return (await getConvention(signed.id))!.json;
});
