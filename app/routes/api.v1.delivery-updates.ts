import { type ApiMethod, type ApiOutputs, apiHandler, requireMethod } from "~/api/handler.server";
import { deliveryCampaignResponse, deliveryCampaignSentResponse } from "~/lib/programme-responses";
import { publicUrl } from "~/lib/route-params.server";
import { campaignFollowUp, sendDeliveryCampaign } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["GET", "POST"];
export const outputs: ApiOutputs = {
  GET: { 200: deliveryCampaignResponse },
  POST: { 200: deliveryCampaignSentResponse },
};

/** GET /api/v1/delivery-updates — the running campaign: who was asked, who answered. */
export const loader = apiHandler(async (actor) => campaignFollowUp(actor), outputs);

/** POST /api/v1/delivery-updates — the MEL asks every bailleur not asked yet in this campaign (May / November). */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  return sendDeliveryCampaign(actor, { baseUrl: publicUrl() });
}, outputs);
