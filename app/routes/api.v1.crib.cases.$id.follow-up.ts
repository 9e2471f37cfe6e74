import { apiHandler } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { cribFollowSchema } from "~/lib/crib-schemas";
import { httpError } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { followCribCase } from "~/models/crib.server";

/** POST /api/v1/crib/cases/:id/follow-up — the URH designates the pilot bailleur and/or records the outcome. */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez POST.");
  const input = await readJsonBody(request, cribFollowSchema);
  await followCribCase(actor, params.id ?? "", input, publicUrl());
  return { updated: true };
});

export const loader = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : utilisez POST.");
});
