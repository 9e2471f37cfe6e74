import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
} from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { deliveriesResponse } from "~/lib/programme-responses";
import { deliveryPeriodSchema } from "~/lib/programme-schemas";
import { fieldErrors } from "~/lib/validation";
import { consolidatedDeliveries } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const inputs: ApiInputs = { GET: { query: deliveryPeriodSchema } };
export const outputs: ApiOutputs = { GET: { 200: deliveriesResponse } };

/** GET /api/v1/programmes/deliveries?year=2027&half=1|2 — deliveries consolidated by semester (or year without half). */
export const loader = apiHandler(async (actor, { request }) => {
  const params = new URL(request.url).searchParams;
  const parsed = deliveryPeriodSchema.safeParse({
    year: params.get("year"),
    half: params.get("half") ?? undefined,
  });
  if (!parsed.success)
    throw httpError(400, "Période invalide : year=AAAA et half=1, 2 ou rien pour l'année.", {
      errors: fieldErrors(parsed.error),
    });
  const { list: _, ...totals } = await consolidatedDeliveries(actor, parsed.data);
  return totals;
}, outputs);

export const action = otherMethods(methods);
