import { type ApiMethod, type ApiOutputs, apiHandler } from "~/api/handler.server";
import { organisationsResponse } from "~/lib/organisation-responses";
import { listOrganisations } from "~/models/organisations.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const outputs: ApiOutputs = { GET: { 200: organisationsResponse } };

export const loader = apiHandler(async (actor) => {
  const rows = await listOrganisations(actor);
  return rows.map(({ id, slug, kind, name, inseeCode }) => ({ id, slug, kind, name, inseeCode }));
}, outputs);
