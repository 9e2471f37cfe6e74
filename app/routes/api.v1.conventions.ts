import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { conventionListResponse, conventionResponse } from "~/lib/convention-responses";
import { conventionInputSchema } from "~/lib/convention-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { createConvention, listConventions, readableConvention } from "~/models/conventions.server";

export const methods: readonly ApiMethod[] = ["GET", "POST"];
export const inputs: ApiInputs = { POST: { body: conventionInputSchema } };
export const outputs: ApiOutputs = {
  GET: { 200: conventionListResponse },
  POST: { 201: conventionResponse },
};

/** GET /api/v1/conventions: the cadre and the conventions the actor's organisation is party to. */
export const loader = apiHandler(async (actor) => (await listConventions(actor)).map((c) => c.json), outputs);

/** POST /api/v1/conventions: a réservataire drafts a bilatérale (`kind: "bilaterale"`), the MEL records the cadre. */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  const input = await readJsonBody(request, conventionInputSchema);
  const created = await createConvention(actor, input, publicUrl());
  return Response.json((await readableConvention(actor, created.id)).json, { status: 201 });
}, outputs);
