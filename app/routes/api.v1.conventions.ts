import { type ApiInputs, type ApiMethod, apiHandler, requireMethod } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { conventionInputSchema } from "~/lib/convention-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { createConvention, listConventions, readableConvention } from "~/models/conventions.server";

export const methods: readonly ApiMethod[] = ["GET", "POST"];
export const inputs: ApiInputs = { POST: { body: conventionInputSchema } };

/** GET /api/v1/conventions: the cadre and the conventions the actor's organisation is party to. */
export const loader = apiHandler(async (actor) => (await listConventions(actor)).map((c) => c.json));

/** POST /api/v1/conventions: a réservataire drafts a bilatérale (`kind: "bilaterale"`), the MEL records the cadre. */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  const input = await readJsonBody(request, conventionInputSchema);
  const created = await createConvention(actor, input, publicUrl());
  return Response.json((await readableConvention(actor, created.id)).json, { status: 201 });
});
