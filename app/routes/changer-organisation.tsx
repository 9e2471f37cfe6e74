import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { requireActor } from "~/lib/actor.server";
import { switchOrganisation } from "~/lib/auth.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { httpError } from "~/lib/http.server";

/** A member of several organisations chooses the one they act for in this session. */
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  const formData = await readProtectedForm(request);
  const organisationId = z.uuid().safeParse(formData.get("organisationId"));
  if (!organisationId.success || !actor.sessionId)
    throw httpError(400, "Organisation inconnue : choisissez-la dans la liste.");
  await switchOrganisation(actor.sessionId, actor.user.id, organisationId.data);
  return redirect("/accueil");
}

export const loader = () => redirect("/accueil");
