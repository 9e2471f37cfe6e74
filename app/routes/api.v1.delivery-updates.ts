import { type ApiMethod, apiHandler, requireMethod } from "~/api/handler.server";
import { publicUrl } from "~/lib/route-params.server";
import { campaignFollowUp, sendDeliveryCampaign } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["GET", "POST"];

/** GET /api/v1/delivery-updates — the running campaign: who was asked, who answered. */
export const loader = apiHandler(async (actor) => campaignFollowUp(actor));

/** POST /api/v1/delivery-updates — the MEL asks every bailleur not asked yet in this campaign (May / November). */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  return sendDeliveryCampaign(actor, { baseUrl: publicUrl() });
});
