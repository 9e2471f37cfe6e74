import { apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { publishCribSession } from "~/models/crib.server";

/** POST /api/v1/crib/sessions/:id/publish — the MEL publishes the list to the URH and the bailleurs. */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez POST.");
  await publishCribSession(actor, params.id ?? "", publicUrl());
  return { published: true };
});

export const loader = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : utilisez POST.");
});
