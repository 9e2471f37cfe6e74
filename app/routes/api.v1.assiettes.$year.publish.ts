import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { assiettePublishedResponse } from "~/lib/cycle-responses";
import { assiettePublishSchema } from "~/lib/cycle-validation";
import { publicUrl } from "~/lib/route-params.server";
import { publishAssiette, yearParam } from "~/models/assiette.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const inputs: ApiInputs = { POST: { body: assiettePublishSchema } };
export const outputs: ApiOutputs = { POST: { 200: assiettePublishedResponse } };

/** The État publishes the year's assiette; `{confirmIncomplete: true}` while some bailleurs have not submitted. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  const year = yearParam(params.year);
  const body = await readJsonBody(request, assiettePublishSchema, true);
  const result = await publishAssiette(actor, {
    year,
    confirmIncomplete: body.confirmIncomplete === true,
    baseUrl: publicUrl(),
  });
  return { year, published: true, ...result };
}, outputs);
