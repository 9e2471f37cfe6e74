import { type ApiMethod, apiHandler, otherMethods, requireMethod } from "~/api/handler.server";
import { publicUrl } from "~/lib/route-params.server";
import { publishCribSession } from "~/models/crib.server";

export const methods: readonly ApiMethod[] = ["POST"];

/** POST /api/v1/crib/sessions/:id/publish — the MEL publishes the list to the URH and the bailleurs. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  await publishCribSession(actor, params.id ?? "", publicUrl());
  return { published: true };
});

export const loader = otherMethods(methods);
