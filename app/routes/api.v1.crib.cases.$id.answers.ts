import { apiHandler } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { cribAnswerSchema } from "~/lib/crib-schemas";
import { httpError } from "~/lib/http.server";
import { answerCribCase } from "~/models/crib.server";

/** POST /api/v1/crib/cases/:id/answers — a bailleur's answer (a possible solution, or none). */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez POST.");
  const input = await readJsonBody(request, cribAnswerSchema);
  await answerCribCase(actor, params.id ?? "", input);
  return { answered: true };
});

export const loader = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : les réponses sont dans GET /crib/sessions/{id}.");
});
