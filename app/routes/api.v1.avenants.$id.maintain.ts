import { avenantStep } from "~/api/avenant-action.server";
import { apiHandler } from "~/api/handler.server";

/** POST /api/v1/avenants/:id/maintain (see avenantStep for who may). */
export const action = apiHandler((actor, args) => avenantStep(actor, args, "maintain"));
