import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { rectifiedResponse } from "~/lib/cycle-responses";
import { assietteRectifySchema } from "~/lib/cycle-validation";
import { publicUrl } from "~/lib/route-params.server";
import { rectifyAssiette, versionJson, yearParam } from "~/models/assiette.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: assietteRectifySchema } };
export const outputs: ApiOutputs = { POST: { 200: rectifiedResponse } };

/** The État publishes the next version of a published assiette (rectificatif), body `{reason}`. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const year = yearParam(params.year);
  const body = await readJsonBody(request, assietteRectifySchema);
  const done = await rectifyAssiette(actor, { year, reason: body.reason, baseUrl: publicUrl() });
  return {
    year,
    ...versionJson(done.version),
    changes: done.changes,
    replacedLetters: done.replaced,
  };
}, outputs);
