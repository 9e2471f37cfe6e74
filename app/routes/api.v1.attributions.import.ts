import { ensureCan } from "#policies/guard.server";
import { type ApiMethod, type ApiOutputs, apiHandler, requireMethod } from "~/api/handler.server";
import { attributionBatchResultResponse } from "~/lib/attribution-responses";
import { importAttributionFile, readLimitedBody } from "~/models/attribution-import.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const outputs: ApiOutputs = {
  POST: { 200: attributionBatchResultResponse, 201: attributionBatchResultResponse },
};

/**
 * POST /api/v1/attributions/import — the file itself as the body (CSV `;` or `,`, UTF-8 or Windows-1252, or XLSX),
 * for the import page (which shows the upload's progress) and bailleurs' systems. All or nothing; 413 above 20 MB;
 * 400 lists `{ line, column, field, message }`.
 */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  ensureCan(actor.ability, "create", "Attribution", "Seul un bailleur enregistre ses attributions.");
  const result = await importAttributionFile(actor, await readLimitedBody(request));
  return Response.json(result, { status: result.created > 0 ? 201 : 200 });
}, outputs);
