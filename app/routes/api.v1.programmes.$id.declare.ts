import {
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { programmeDeclaredResponse } from "~/lib/programme-responses";
import { publicUrl } from "~/lib/route-params.server";
import { declareProgramme } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const outputs: ApiOutputs = { POST: { 200: programmeDeclaredResponse } };

/** POST /api/v1/programmes/:id/declare — the bailleur declares a programme it had announced. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  return declareProgramme(actor, params.id ?? "", { baseUrl: publicUrl() });
}, outputs);

export const loader = otherMethods(methods);
