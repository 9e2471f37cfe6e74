import {
  type ApiInputs,
  type ApiMethod,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { cribCaseSchema } from "~/lib/crib-schemas";
import { addCribCase } from "~/models/crib.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: cribCaseSchema } };

/** POST /api/v1/crib/sessions/:id/cases — the MEL adds a case to the session's list. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const input = await readJsonBody(request, cribCaseSchema);
  return Response.json(await addCribCase(actor, params.id ?? "", input), { status: 201 });
});

export const loader = otherMethods(methods);
