import { ensureCan } from "#policies/guard.server";
import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { httpError } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { signalementCreatedResponse, signalementListResponse } from "~/lib/signalement-responses";
import {
  parseSignalementFilters,
  signalementFiltersSchema,
  signalementSchema,
} from "~/lib/signalement-schemas";
import { fieldErrors } from "~/lib/validation";
import { createSignalement, listSignalements, SIGNALEMENT_PAGE_SIZE } from "~/models/signalements.server";

export const methods: readonly ApiMethod[] = ["GET", "POST"];
export const inputs: ApiInputs = {
  GET: { query: signalementFiltersSchema },
  POST: { body: signalementSchema },
};
export const outputs: ApiOutputs = {
  GET: { 200: signalementListResponse },
  POST: { 201: signalementCreatedResponse },
};

/**
 * GET /api/v1/signalements?status=&numeroUnique=&commune=&bailleur=&publicCategory=&urgency=&from=&to=&after= — what the caller may see (never another commune's), newest
 * first, one page at a time; a full page links to the next one (`Link: <…>; rel="next"`, keyset cursor `after`).
 */
export const loader = apiHandler(async (actor, { request }) => {
  ensureCan(actor.ability, "read", "Signalement");
  const url = new URL(request.url);
  const parsed = parseSignalementFilters(url.searchParams);
  if (!parsed.success) throw httpError(400, "Filtres invalides.", { errors: fieldErrors(parsed.error) });
  const rows = await listSignalements(actor, parsed.data);
  const last = rows.length === SIGNALEMENT_PAGE_SIZE ? rows.at(-1) : undefined;
  if (last) url.searchParams.set("after", last.id);
  return Response.json(rows, last ? { headers: { link: `<${url.pathname}${url.search}>; rel="next"` } } : {});
}, outputs);

/** POST /api/v1/signalements — a commune signals a household. */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  ensureCan(actor.ability, "create", "Signalement");
  const input = await readJsonBody(request, signalementSchema);
  const { id } = await createSignalement(actor, input, { baseUrl: publicUrl() });
  return Response.json({ id, status: "sent" }, { status: 201 });
}, outputs);
