import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { comiteCreatedResponse, comiteListResponse } from "~/lib/programme-responses";
import { comiteSchema } from "~/lib/programme-schemas";
import { createComite, listComites } from "~/models/comites.server";

export const methods: readonly ApiMethod[] = ["GET", "POST"];
export const inputs: ApiInputs = { POST: { body: comiteSchema } };
export const outputs: ApiOutputs = { GET: { 200: comiteListResponse }, POST: { 201: comiteCreatedResponse } };

/** GET /api/v1/comites — the meetings the caller is invited to (communes: published reporting; the MEL: all). */
export const loader = apiHandler(async (actor) => listComites(actor), outputs);

/** POST /api/v1/comites — the MEL schedules a meeting `{ heldOn, place, agenda, bailleurs: [slug] }`. */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  return Response.json(await createComite(actor, await readJsonBody(request, comiteSchema)), { status: 201 });
}, outputs);
