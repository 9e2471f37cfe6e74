import { type ApiMethod, type ApiOutputs, apiHandler, otherMethods } from "~/api/handler.server";
import { programmeResponse } from "~/lib/programme-responses";
import { getProgramme } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const outputs: ApiOutputs = { GET: { 200: programmeResponse } };

/** GET /api/v1/programmes/:id — flats, proposed and final split, recommendations the caller may see. */
export const loader = apiHandler(async (actor, { params }) => {
  const { canUpdate: _u, canRecommend: _r, ...programme } = await getProgramme(actor, params.id ?? "");
  return programme;
}, outputs);

export const action = otherMethods(methods);
