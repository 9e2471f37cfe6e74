import { apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { declareProgramme } from "~/models/programmes.server";

/** POST /api/v1/programmes/:id/declare — the bailleur declares a programme it had announced. */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez POST.");
  return declareProgramme(actor, params.id ?? "", { baseUrl: publicUrl() });
});

export const loader = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : utilisez POST.");
});
