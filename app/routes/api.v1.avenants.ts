import { asSubject } from "#policies/ability";
import { ensureCan } from "#policies/guard.server";
import { apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { avenantJson, avenantSubject, listAvenants } from "~/models/avenants.server";

/** The courriers valant avenant the actor's organisation is party to, optionally for one year (`?year=`). */
export const loader = apiHandler(async (actor, { request }) => {
  ensureCan(actor.ability, "read", "Avenant");
  const raw = new URL(request.url).searchParams.get("year");
  if (raw !== null && !/^\d{4}$/.test(raw))
    throw httpError(
      400,
      "Paramètre year invalide : indiquez une année sur quatre chiffres, par exemple 2026.",
    );
  const rows = await listAvenants(actor.organisation.id, raw === null ? undefined : Number(raw));
  return rows
    .filter((r) => actor.ability.can("read", asSubject("Avenant", avenantSubject(r.avenant))))
    .map((r) => avenantJson(r.avenant, r));
});
