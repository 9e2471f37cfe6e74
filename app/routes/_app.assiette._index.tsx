import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { ensureCan } from "#policies/guard.server";
import { requireActor } from "~/lib/actor.server";
import { parisYear } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";

/** The assiette of the current year (Paris time). */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "read", "Assiette");
  return redirect(`/assiette/${parisYear()}`);
}
