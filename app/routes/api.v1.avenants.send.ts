import { z } from "zod";
import { apiHandler } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { yearField } from "~/lib/avenant-validation";
import { publicUrl } from "~/lib/route-params.server";
import { sendAllAvenants } from "~/models/avenants.server";

/** POST /api/v1/avenants/send `{year}`: sends every draft of the year of the caller's organisation. */
export const action = apiHandler(async (actor, { request }) => {
  if (request.method !== "POST") throw new Response(null, { status: 405 });
  const { year } = await readJsonBody(request, z.object({ year: yearField }));
  return sendAllAvenants(actor, { year, baseUrl: publicUrl() });
});
