import { type ApiMethod, apiHandler } from "~/api/handler.server";
import { listOrganisations } from "~/models/organisations.server";

export const methods: readonly ApiMethod[] = ["GET"];

export const loader = apiHandler(async (actor) => {
  const rows = await listOrganisations(actor);
  return rows.map(({ id, slug, kind, name, inseeCode }) => ({ id, slug, kind, name, inseeCode }));
});
