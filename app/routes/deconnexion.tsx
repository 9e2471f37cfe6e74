import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { auditActorOf, authenticate } from "~/lib/actor.server";
import { logOut, lucia, serialiseSessionCookie } from "~/lib/auth.server";
import { readProtectedForm } from "~/lib/csrf.server";

export async function action({ request, context }: ActionFunctionArgs) {
  await readProtectedForm(request);
  const actor = await authenticate(request, context);
  if (actor?.sessionId) await logOut(actor.sessionId, auditActorOf(actor));
  return redirect("/connexion", {
    headers: { "Set-Cookie": serialiseSessionCookie(request, lucia.createBlankSessionCookie()) },
  });
}

export const loader = () => redirect("/accueil");
