import { type ApiMethod, type ApiOutputs, apiHandler } from "~/api/handler.server";
import { qpvListResponse } from "~/lib/organisation-responses";
import { listQpvs } from "~/models/qpv.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const outputs: ApiOutputs = { GET: { 200: qpvListResponse } };

/** GET /api/v1/qpv — the MEL's quartiers prioritaires: the codes an attribution's `qpvCode` may take. */
export const loader = apiHandler(async (actor) => ({ quartiers: await listQpvs(actor) }), outputs);
