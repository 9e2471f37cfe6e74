import { type ApiInputs, type ApiMethod, type ApiOutputs, apiHandler } from "~/api/handler.server";
import { yearQuerySchema } from "~/lib/avenant-validation";
import { avenantListResponse } from "~/lib/cycle-responses";
import { yearQuery } from "~/lib/route-params.server";
import { listAvenants } from "~/models/avenants.server";

export const methods: readonly ApiMethod[] = ["GET"];
// Read by `yearQuery`, as the page reads it.
export const inputs: ApiInputs = { GET: { query: yearQuerySchema } };
export const outputs: ApiOutputs = { GET: { 200: avenantListResponse } };

/** The courriers valant avenant the actor may read, optionally for one year (`?year=`), as the page lists them. */
export const loader = apiHandler(
  (actor, { request }) => listAvenants(actor, yearQuery(request.url)),
  outputs,
);
