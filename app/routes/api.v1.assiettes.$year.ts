import { asSubject } from "#policies/ability";
import { ensureCan } from "#policies/guard.server";
import { apiHandler } from "~/api/handler.server";
import { annexJson, readableAnnex, yearParam } from "~/models/assiette.server";

/** The Annex 1 table of a year: the rows the actor may read (DESIGN §4), with each contingent's rights. */
export const loader = apiHandler(async (actor, { params }) => {
  ensureCan(actor.ability, "read", "Assiette");
  const year = yearParam(params.year);
  const annex = await readableAnnex((row) => actor.ability.can("read", asSubject("Forecast", row)), year);
  return annexJson(annex);
});
