import { type ApiMethod, type ApiOutputs, apiHandler } from "~/api/handler.server";
import { avenantResponse } from "~/lib/cycle-responses";
import { uuidParam } from "~/lib/route-params.server";
import { readAvenant } from "~/models/avenants.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const outputs: ApiOutputs = { GET: { 200: avenantResponse } };

/** GET /api/v1/avenants/:id: a letter with its acceptance (who, when, how) and its dispute thread. */
export const loader = apiHandler(
  (actor, { params }) => readAvenant(actor, uuidParam(params.id, "Ce courrier")),
  outputs,
);
