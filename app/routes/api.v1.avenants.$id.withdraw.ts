import { avenantStep } from "~/api/avenant-action.server";
import { type ApiMethod, apiHandler } from "~/api/handler.server";

export const methods: readonly ApiMethod[] = ["POST"];

/** POST /api/v1/avenants/:id/withdraw (see avenantStep for who may). */
export const action = apiHandler((actor, args) => avenantStep(actor, args, "withdraw"));
