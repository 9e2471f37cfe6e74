import { z } from "zod";
import { type ApiMethod, apiHandler, requireMethod } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { publicUrl } from "~/lib/route-params.server";
import { rectifyAssiette, versionJson, yearParam } from "~/models/assiette.server";

// The reason is checked by the model (`rectifyReasonError`), the same for the page.
const bodySchema = z.object({ reason: z.unknown().optional() });

export const methods: readonly ApiMethod[] = ["POST"];

/** The État publishes the next version of a published assiette (rectificatif), body `{reason}`. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const year = yearParam(params.year);
  const body = await readJsonBody(request, bodySchema);
  const done = await rectifyAssiette(actor, { year, reason: body.reason, baseUrl: publicUrl() });
  return {
    year,
    ...versionJson(done.version),
    changes: done.changes,
    replacedLetters: done.replaced,
  };
});
