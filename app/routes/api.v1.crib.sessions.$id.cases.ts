import { apiHandler } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { cribCaseSchema } from "~/lib/crib-schemas";
import { httpError } from "~/lib/http.server";
import { addCribCase } from "~/models/crib.server";

/** POST /api/v1/crib/sessions/:id/cases — the MEL adds a case to the session's list. */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez POST.");
  const input = await readJsonBody(request, cribCaseSchema);
  return Response.json(await addCribCase(actor, params.id ?? "", input), { status: 201 });
});

export const loader = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : les cas sont dans GET /crib/sessions/{id}.");
});
