import { avenantStep } from "~/api/avenant-action.server";
import { type ApiMethod, type ApiOutputs, apiHandler } from "~/api/handler.server";
import { avenantResponse } from "~/lib/cycle-responses";

export const methods: readonly ApiMethod[] = ["POST"];
export const outputs: ApiOutputs = { POST: { 200: avenantResponse } };

/** POST /api/v1/avenants/:id/accept (see avenantStep for who may). */
export const action = apiHandler((actor, args) => avenantStep(actor, args, "accept"), outputs);
