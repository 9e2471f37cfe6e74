import { apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { getProgramme } from "~/models/programmes.server";

/** GET /api/v1/programmes/:id — flats, proposed and final split, recommendations the caller may see. */
export const loader = apiHandler(async (actor, { params }) => {
  const { canUpdate: _u, canRecommend: _r, ...programme } = await getProgramme(actor, params.id ?? "");
  return programme;
});

export const action = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : utilisez GET, ou …/split, …/recommendations, …/declare.");
});
