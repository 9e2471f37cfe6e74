import { type ApiMethod, apiHandler, otherMethods } from "~/api/handler.server";
import { getSignalement } from "~/models/signalements.server";

export const methods: readonly ApiMethod[] = ["GET"];

/** GET /api/v1/signalements/:id — the household's detail (logged), history and comments; 404 if not the caller's. */
export const loader = apiHandler(async (actor, { params }) => getSignalement(actor, params.id ?? "", "api"));

export const action = otherMethods(methods);
