import { apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { getCribSession } from "~/models/crib.server";

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

export const action = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : utilisez GET, ou POST sur …/cases et …/publish.");
});
