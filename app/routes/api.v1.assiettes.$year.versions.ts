import { type ApiMethod, apiHandler } from "~/api/handler.server";
import { assietteVersionsOf, yearParam } from "~/models/assiette.server";

export const methods: readonly ApiMethod[] = ["GET"];

/** The published versions of a year (and, for the État, what the next rectificatif would change). */
export const loader = apiHandler(async (actor, { params }) =>
  assietteVersionsOf(actor, yearParam(params.year)),
);
