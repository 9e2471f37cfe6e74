import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { avenantYearSchema } from "~/lib/avenant-validation";
import { avenantsGeneratedResponse } from "~/lib/cycle-responses";
import { generateAvenants, listAvenants } from "~/models/avenants.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: avenantYearSchema } };
export const outputs: ApiOutputs = { POST: { 200: avenantsGeneratedResponse } };

/** A réservataire drafts in one action its letters of the year for all its bailleurs (idempotent). */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  const { year } = await readJsonBody(request, avenantYearSchema);
  const result = await generateAvenants(actor, { year });
  const avenants = await listAvenants(actor, year);
  return { ...result, avenants: avenants.filter((a) => a.reservataire.id === actor.organisation.id) };
}, outputs);
