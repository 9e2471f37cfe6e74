import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { ACTIONS, SUBJECTS } from "#policies/rules";
import { requireActor } from "~/lib/actor.server";
import { httpError, withHttpErrors } from "~/lib/http.server";
import { refusalExplanation } from "~/lib/refusal";
import { whoMayDo } from "~/models/members.server";

const querySchema = z.object({ action: z.enum(ACTIONS), sujet: z.enum(SUBJECTS) });

/** GET /roles-requis?action=…&sujet=… — for the 403 page: the role needed and who holds it in the organisation. */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const params = new URL(request.url).searchParams;
  const query = querySchema.safeParse({ action: params.get("action"), sujet: params.get("sujet") });
  if (!query.success) throw httpError(400, "Action ou sujet inconnu.");
  const { roles, members } = await whoMayDo(actor, query.data.action, query.data.sujet);
  return { explanation: refusalExplanation(roles, members) };
}
