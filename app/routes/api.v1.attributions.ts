import { ensureCan } from "#policies/guard.server";
import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { attributionBatchResultResponse, attributionPageResponse } from "~/lib/attribution-responses";
import { attributionBatchSchema, attributionFiltersSchema } from "~/lib/attribution-schemas";
import { httpError } from "~/lib/http.server";
import { fieldErrors } from "~/lib/validation";
import { readLimitedBody } from "~/models/attribution-import.server";
import { listAttributions, recordAttributions } from "~/models/attributions.server";

export const methods: readonly ApiMethod[] = ["GET", "POST"];
export const inputs: ApiInputs = {
  GET: { query: attributionFiltersSchema },
  POST: { body: attributionBatchSchema },
};
export const outputs: ApiOutputs = {
  GET: { 200: attributionPageResponse },
  POST: { 200: attributionBatchResultResponse, 201: attributionBatchResultResponse },
};

/** GET /api/v1/attributions?year=&bailleur=&contingent=&commune=&numeroUnique=&cursor= — what the caller may read. */
export const loader = apiHandler(async (actor, { request }) => {
  ensureCan(actor.ability, "read", "Attribution");
  const parsed = attributionFiltersSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw httpError(400, "Filtres invalides.", { errors: fieldErrors(parsed.error) });
  return listAttributions(actor, parsed.data, { via: "api" });
}, outputs);

/** POST /api/v1/attributions — a bailleur records a batch, all or nothing; 400 lists `{ index, field, message }`. */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  ensureCan(actor.ability, "create", "Attribution", "Seul un bailleur enregistre ses attributions.");
  const body = await readLimitedBody(request);
  const { attributions } = await readJsonBody(
    new Request(request.url, { method: "POST", body }),
    attributionBatchSchema,
  );
  const result = await recordAttributions(actor, attributions, { source: "api" });
  return Response.json(result, { status: result.created > 0 ? 201 : 200 });
}, outputs);
