import { z } from "zod";
import { type ApiMethod, apiHandler, requireMethod } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { publicUrl } from "~/lib/route-params.server";
import { publishAssiette, yearParam } from "~/models/assiette.server";

const bodySchema = z.object({
  confirmIncomplete: z.boolean({ error: "confirmIncomplete doit valoir true ou false." }).optional(),
});

export const methods: readonly ApiMethod[] = ["POST"];

/** The État publishes the year's assiette; `{confirmIncomplete: true}` while some bailleurs have not submitted. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const year = yearParam(params.year);
  const body = await readJsonBody(request, bodySchema, true);
  const result = await publishAssiette(actor, {
    year,
    confirmIncomplete: body.confirmIncomplete === true,
    baseUrl: publicUrl(),
  });
  return { year, published: true, ...result };
});
