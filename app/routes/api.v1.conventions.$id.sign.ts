import { signAs } from "~/api/convention-access.server";
import { apiHandler } from "~/api/handler.server";
import { publicUrl } from "~/lib/route-params.server";
import { getConvention } from "~/models/conventions.server";

/** POST /api/v1/conventions/:id/sign: the actor's organisation signs (its signataire only; once). */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "POST") throw new Response(null, { status: 405 });
  const signed = await signAs(actor, params.id, publicUrl());
  return (await getConvention(signed.id))!.json;
});
