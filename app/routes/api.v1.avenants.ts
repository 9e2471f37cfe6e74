import { type ApiMethod, apiHandler } from "~/api/handler.server";
import { yearQuery } from "~/lib/route-params.server";
import { listAvenants } from "~/models/avenants.server";

export const methods: readonly ApiMethod[] = ["GET"];

/** The courriers valant avenant the actor may read, optionally for one year (`?year=`), as the page lists them. */
export const loader = apiHandler((actor, { request }) => listAvenants(actor, yearQuery(request.url)));
