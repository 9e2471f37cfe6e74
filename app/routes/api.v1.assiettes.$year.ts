import { type ApiInputs, type ApiMethod, type ApiOutputs, apiHandler } from "~/api/handler.server";
import { assietteResponse } from "~/lib/cycle-responses";
import { assietteQuerySchema } from "~/lib/cycle-validation";
import { annexJson, readableAnnex, versionParam, yearParam } from "~/models/assiette.server";

export const methods: readonly ApiMethod[] = ["GET"];
// Read by `versionParam`.
export const inputs: ApiInputs = { GET: { query: assietteQuerySchema } };
export const outputs: ApiOutputs = { GET: { 200: assietteResponse } };

/**
 * The Annex 1 table of a year: the rows the actor may read (DESIGN §4), with each contingent's rights, from the
 * latest published version or the one asked for (`?version=N`).
 */
export const loader = apiHandler(
  async (actor, { request, params }) =>
    annexJson(await readableAnnex(actor, yearParam(params.year), versionParam(request.url))),
  outputs,
);
