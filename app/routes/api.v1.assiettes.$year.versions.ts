import { type ApiMethod, type ApiOutputs, apiHandler } from "~/api/handler.server";
import { assietteVersionsResponse } from "~/lib/cycle-responses";
import { assietteVersionsOf, yearParam } from "~/models/assiette.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const outputs: ApiOutputs = { GET: { 200: assietteVersionsResponse } };

/** The published versions of a year (and, for the État, what the next rectificatif would change). */
export const loader = apiHandler(
  async (actor, { params }) => assietteVersionsOf(actor, yearParam(params.year)),
  outputs,
);
