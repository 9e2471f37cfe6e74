import { avenantStep } from "~/api/avenant-action.server";
import { type ApiInputs, type ApiMethod, type ApiOutputs, apiHandler } from "~/api/handler.server";
import { reviseSchema } from "~/lib/avenant-validation";
import { avenantResponse } from "~/lib/cycle-responses";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: reviseSchema } };
export const outputs: ApiOutputs = { POST: { 200: avenantResponse } };

/** POST /api/v1/avenants/:id/revise (see avenantStep for who may). */
export const action = apiHandler((actor, args) => avenantStep(actor, args, "revise"), outputs);
