import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { conventionResponse } from "~/lib/convention-responses";
import { bilateralSchema } from "~/lib/convention-schemas";
import { editConvention, readableConvention } from "~/models/conventions.server";

export const methods: readonly ApiMethod[] = ["GET", "PATCH"];
export const inputs: ApiInputs = { PATCH: { body: bilateralSchema } };
export const outputs: ApiOutputs = { GET: { 200: conventionResponse }, PATCH: { 200: conventionResponse } };

/** GET /api/v1/conventions/:id: one convention its parties (or, for the cadre, every partner) may read. */
export const loader = apiHandler(
  async (actor, { params }) => (await readableConvention(actor, params.id)).json,
  outputs,
);

/** PATCH /api/v1/conventions/:id: the drafter changes a bilatérale nobody signed yet (409 once signed). */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const input = await readJsonBody(request, bilateralSchema);
  const updated = await editConvention(actor, params.id, input);
  return (await readableConvention(actor, updated.id)).json;
}, outputs);
