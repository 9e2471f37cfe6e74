import { type ApiMethod, apiHandler, otherMethods } from "~/api/handler.server";
import { getCribSession } from "~/models/crib.server";

export const methods: readonly ApiMethod[] = ["GET"];

/** GET /api/v1/crib/sessions/:id — the cases and the answers the caller may see. */
export const loader = apiHandler(async (actor, { params }) => {
  const {
    canManage: _m,
    canFollow: _f,
    canAnswer: _a,
    ...body
  } = await getCribSession(actor, params.id ?? "", "api");
  return body;
});

export const action = otherMethods(methods);
