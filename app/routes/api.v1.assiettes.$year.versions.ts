import { apiHandler } from "~/api/handler.server";
import { assietteVersionsOf, yearParam } from "~/models/assiette.server";

/** The published versions of a year (and, for the État, what the next rectificatif would change). */
export const loader = apiHandler(async (actor, { params }) =>
  assietteVersionsOf(actor, yearParam(params.year)),
);
