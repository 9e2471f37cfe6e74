import { type ApiMethod, apiHandler, otherMethods, requireMethod } from "~/api/handler.server";
import { publicUrl } from "~/lib/route-params.server";
import { declareProgramme } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["POST"];

/** POST /api/v1/programmes/:id/declare — the bailleur declares a programme it had announced. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  return declareProgramme(actor, params.id ?? "", { baseUrl: publicUrl() });
});

export const loader = otherMethods(methods);
