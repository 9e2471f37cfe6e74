import { ensureCan } from "#policies/guard.server";
import { type ApiMethod, apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { listAvenants } from "~/models/avenants.server";

export const methods: readonly ApiMethod[] = ["GET"];

/** The courriers valant avenant the actor may read, optionally for one year (`?year=`). */
export const loader = apiHandler(async (actor, { request }) => {
  ensureCan(actor.ability, "read", "Avenant");
  const raw = new URL(request.url).searchParams.get("year");
  if (raw !== null && !/^\d{4}$/.test(raw))
    throw httpError(
      400,
      "Paramètre year invalide : indiquez une année sur quatre chiffres, par exemple 2026.",
    );
  return listAvenants(actor, raw === null ? undefined : Number(raw));
});
