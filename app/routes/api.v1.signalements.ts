import { ensureCan } from "#policies/guard.server";
import { apiHandler } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { httpError } from "~/lib/http.server";
import { baseUrlOf } from "~/lib/route-params.server";
import { signalementFiltersSchema, signalementSchema } from "~/lib/signalement-schemas";
import { fieldErrors } from "~/lib/validation";
import { createSignalement, listSignalements } from "~/models/signalements.server";

/** GET /api/v1/signalements?status=&numeroUnique=&offset= — what the caller may see (never another commune's). */
export const loader = apiHandler(async (actor, { request }) => {
  ensureCan(actor.ability, "read", "Signalement");
  const params = new URL(request.url).searchParams;
  const parsed = signalementFiltersSchema.safeParse({
    status: params.get("status") ?? undefined,
    numeroUnique: params.get("numeroUnique") ?? undefined,
  });
  if (!parsed.success) throw httpError(400, "Filtres invalides.", { errors: fieldErrors(parsed.error) });
  const offset = Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0);
  return listSignalements(actor, parsed.data, { offset });
});

/** POST /api/v1/signalements — a commune signals a household. */
export const action = apiHandler(async (actor, { request }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez GET ou POST.");
  ensureCan(actor.ability, "create", "Signalement");
  const input = await readJsonBody(request, signalementSchema);
  const { id } = await createSignalement(actor, input, { baseUrl: baseUrlOf(request) });
  return Response.json({ id, status: "sent" }, { status: 201 });
});
