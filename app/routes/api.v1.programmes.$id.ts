import { type ApiMethod, apiHandler, otherMethods } from "~/api/handler.server";
import { getProgramme } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["GET"];

/** GET /api/v1/programmes/:id — flats, proposed and final split, recommendations the caller may see. */
export const loader = apiHandler(async (actor, { params }) => {
  const { canUpdate: _u, canRecommend: _r, ...programme } = await getProgramme(actor, params.id ?? "");
  return programme;
});

export const action = otherMethods(methods);
