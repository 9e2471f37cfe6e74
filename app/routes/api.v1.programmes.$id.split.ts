import { apiHandler } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { httpError } from "~/lib/http.server";
import { splitSchema } from "~/lib/programme-schemas";
import { recordSplit } from "~/models/programmes.server";

/** PUT /api/v1/programmes/:id/split — the bailleur records the final split `{ allocations: [...] }`. */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "PUT") throw httpError(405, "Méthode non permise : utilisez PUT.");
  await recordSplit(actor, params.id ?? "", await readJsonBody(request, splitSchema));
  return { status: "split_recorded" };
});

export const loader = apiHandler(async () => {
  throw httpError(
    405,
    "Méthode non permise : utilisez PUT (la répartition se lit sur /api/v1/programmes/:id).",
  );
});
