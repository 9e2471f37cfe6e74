import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { cribSessionSchema } from "~/lib/crib-schemas";
import { createdResponse, cribSessionListResponse } from "~/lib/signalement-responses";
import { createCribSession, listCribSessions } from "~/models/crib.server";

export const methods: readonly ApiMethod[] = ["GET", "POST"];
export const inputs: ApiInputs = { POST: { body: cribSessionSchema } };
export const outputs: ApiOutputs = { GET: { 200: cribSessionListResponse }, POST: { 201: createdResponse } };

/** GET /api/v1/crib/sessions — the CRIB sessions (URH and bailleurs: published ones). */
export const loader = apiHandler(async (actor) => listCribSessions(actor), outputs);

/** POST /api/v1/crib/sessions — the MEL opens a session's list. */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  const input = await readJsonBody(request, cribSessionSchema);
  return Response.json(await createCribSession(actor, input.heldOn), { status: 201 });
}, outputs);
