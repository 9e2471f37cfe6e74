import { avenantStep } from "~/api/avenant-action.server";
import { type ApiInputs, type ApiMethod, apiHandler } from "~/api/handler.server";
import { contestSchema } from "~/lib/avenant-validation";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: contestSchema } };

/** POST /api/v1/avenants/:id/contest (see avenantStep for who may). */
export const action = apiHandler((actor, args) => avenantStep(actor, args, "contest"));
