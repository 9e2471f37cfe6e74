import { apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { remindCribBailleurs } from "~/models/crib.server";

/** POST /api/v1/crib/sessions/:id/reminders — the MEL or the URH reminds the bailleurs that have not answered. */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez POST.");
  return remindCribBailleurs(actor, params.id ?? "", publicUrl());
});

export const loader = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : utilisez POST.");
});
