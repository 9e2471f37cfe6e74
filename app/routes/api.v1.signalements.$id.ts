import { apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { getSignalement } from "~/models/signalements.server";

/** GET /api/v1/signalements/:id — the household's detail (logged), history and comments; 404 if not the caller's. */
export const loader = apiHandler(async (actor, { params }) => getSignalement(actor, params.id ?? "", "api"));

export const action = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : utilisez GET, ou POST sur …/events pour une étape du suivi.");
});
