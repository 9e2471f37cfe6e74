import { z } from "zod";
import { asSubject } from "#policies/ability";
import { ensureCanOn } from "#policies/guard.server";
import { apiHandler } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { auditActorOf } from "~/lib/actor.server";
import { forbidden } from "~/lib/http.server";
import {
  annexJson,
  forecastSubject,
  publicationOf,
  readableAnnex,
  saveForecast,
  yearParam,
} from "~/models/assiette.server";

const count = z.unknown();
const bodySchema = z.object({
  a: count,
  b: count,
  c: count,
  d: count,
  e: count,
  f: count,
  g: count,
  submit: z.boolean({ error: "submit doit valoir true ou false." }).optional(),
});

/**
 * A bailleur's forecast for the year (columns A to G). Submitted at once unless `submit: false` (a draft the
 * bailleur may change until it submits). Counts are checked by `forecastErrors` (French messages per column).
 */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "PUT") throw new Response(null, { status: 405 });
  const year = yearParam(params.year);
  if (actor.organisation.kind !== "bailleur")
    throw forbidden(
      "Seul un bailleur transmet sa prévision ; les services de l'État la corrigent dans le portail.",
    );
  const published = (await publicationOf(year)) !== null;
  ensureCanOn(
    actor.ability,
    "update",
    "Forecast",
    forecastSubject(actor.organisation.id, published),
    "Cette prévision",
  );
  const body = await readJsonBody(request, bodySchema);
  const { submit, ...values } = body;
  await saveForecast(auditActorOf(actor), {
    bailleurId: actor.organisation.id,
    year,
    values: values as Record<"a" | "b" | "c" | "d" | "e" | "f" | "g", unknown>,
    submit: submit ?? true,
    by: "bailleur",
  });
  const annex = await readableAnnex((row) => actor.ability.can("read", asSubject("Forecast", row)), year);
  return annexJson(annex).rows.find((r) => r.bailleur.id === actor.organisation.id);
});
