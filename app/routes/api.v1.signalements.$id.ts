import { type ApiMethod, type ApiOutputs, apiHandler, otherMethods } from "~/api/handler.server";
import { signalementResponse } from "~/lib/signalement-responses";
import { getSignalement } from "~/models/signalements.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const outputs: ApiOutputs = { GET: { 200: signalementResponse } };

/** GET /api/v1/signalements/:id — the household's detail (logged), history and comments; 404 if not the caller's. */
export const loader = apiHandler(
  async (actor, { params }) => getSignalement(actor, params.id ?? "", "api"),
  outputs,
);

export const action = otherMethods(methods);
