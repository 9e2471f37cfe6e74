import { apiHandler } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { httpError } from "~/lib/http.server";
import { recommendationSchema } from "~/lib/programme-schemas";
import { recommend } from "~/models/programmes.server";

/** POST /api/v1/programmes/:id/recommendations — a réservataire concerned answers `{ text }`. */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez POST.");
  const { text } = await readJsonBody(request, recommendationSchema);
  await recommend(actor, params.id ?? "", text);
  return Response.json({ status: "recorded" }, { status: 201 });
});

export const loader = apiHandler(async () => {
  throw httpError(
    405,
    "Méthode non permise : utilisez POST (les préconisations se lisent sur /api/v1/programmes/:id).",
  );
});
