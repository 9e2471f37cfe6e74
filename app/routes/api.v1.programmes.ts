import { apiHandler } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { httpError } from "~/lib/http.server";
import { programmeSchema } from "~/lib/programme-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { createProgramme, listProgrammes } from "~/models/programmes.server";

/** GET /api/v1/programmes — the programmes the caller may see (a réservataire: those of its bailleurs; a commune: its territory). */
export const loader = apiHandler(async (actor) => listProgrammes(actor));

/** POST /api/v1/programmes — a bailleur declares a programme (or only announces it with `announceOnly`). */
export const action = apiHandler(async (actor, { request }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez GET ou POST.");
  const input = await readJsonBody(request, programmeSchema);
  return Response.json(await createProgramme(actor, input, { baseUrl: publicUrl() }), { status: 201 });
});
