import { type ApiMethod, type ApiOutputs, apiHandler, otherMethods } from "~/api/handler.server";
import { cribSessionResponse } from "~/lib/signalement-responses";
import { getCribSession } from "~/models/crib.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const outputs: ApiOutputs = { GET: { 200: cribSessionResponse } };

/** GET /api/v1/crib/sessions/:id — the cases and the answers the caller may see. */
export const loader = apiHandler(async (actor, { params }) => {
  const {
    canManage: _m,
    canFollow: _f,
    canAnswer: _a,
    ...body
  } = await getCribSession(actor, params.id ?? "", "api");
  return body;
}, outputs);

export const action = otherMethods(methods);
