import { type ApiMethod, apiHandler } from "~/api/handler.server";
import { listQpvs } from "~/models/qpv.server";

export const methods: readonly ApiMethod[] = ["GET"];

/** GET /api/v1/qpv — the MEL's quartiers prioritaires: the codes an attribution's `qpvCode` may take. */
export const loader = apiHandler(async (actor) => ({ quartiers: await listQpvs(actor) }));
