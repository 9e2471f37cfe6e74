import { type ApiInputs, type ApiMethod, apiHandler, requireMethod } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { comiteSchema } from "~/lib/programme-schemas";
import { createComite, listComites } from "~/models/comites.server";

export const methods: readonly ApiMethod[] = ["GET", "POST"];
export const inputs: ApiInputs = { POST: { body: comiteSchema } };

/** GET /api/v1/comites — the meetings the caller is invited to (communes: published reporting; the MEL: all). */
export const loader = apiHandler(async (actor) => listComites(actor));

/** POST /api/v1/comites — the MEL schedules a meeting `{ heldOn, place, agenda, bailleurs: [slug] }`. */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  return Response.json(await createComite(actor, await readJsonBody(request, comiteSchema)), { status: 201 });
});
