import { apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { campaignFollowUp, sendDeliveryCampaign } from "~/models/programmes.server";

/** GET /api/v1/delivery-updates — the running campaign: who was asked, who answered. */
export const loader = apiHandler(async (actor) => campaignFollowUp(actor));

/** POST /api/v1/delivery-updates — the MEL asks every bailleur not asked yet in this campaign (May / November). */
export const action = apiHandler(async (actor, { request }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez GET ou POST.");
  return sendDeliveryCampaign(actor, { baseUrl: publicUrl() });
});
