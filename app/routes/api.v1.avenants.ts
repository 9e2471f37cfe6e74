import { ensureCan } from "#policies/guard.server";
import { type ApiInputs, type ApiMethod, apiHandler } from "~/api/handler.server";
import { avenantListQuerySchema } from "~/lib/avenant-validation";
import { httpError } from "~/lib/http.server";
import { listAvenants } from "~/models/avenants.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const inputs: ApiInputs = { GET: { query: avenantListQuerySchema } };

/** The courriers valant avenant the actor may read, optionally for one year (`?year=`). */
export const loader = apiHandler(async (actor, { request }) => {
  ensureCan(actor.ability, "read", "Avenant");
  const parsed = avenantListQuerySchema.safeParse({
    year: new URL(request.url).searchParams.get("year") ?? undefined,
  });
  if (!parsed.success) throw httpError(400, parsed.error.issues[0]!.message);
  return listAvenants(actor, parsed.data.year);
});
