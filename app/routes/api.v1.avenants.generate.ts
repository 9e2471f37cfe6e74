import { z } from "zod";
import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { apiHandler } from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { auditActorOf } from "~/lib/actor.server";
import { avenantJson, avenantSubject, generateAvenants, listAvenants } from "~/models/avenants.server";

const bodySchema = z.object({
  year: z
    .number({ error: "Indiquez l'année (year), par exemple 2026." })
    .int({ error: "L'année est un entier, par exemple 2026." })
    .min(2015, { error: "Année hors de la période des conventions." })
    .max(2100, { error: "Année hors de la période des conventions." }),
});

/** A réservataire drafts in one action its letters of the year for all its bailleurs (idempotent). */
export const action = apiHandler(async (actor, { request }) => {
  if (request.method !== "POST") throw new Response(null, { status: 405 });
  const own = { organisationId: actor.organisation.id, partyIds: [actor.organisation.id] };
  ensureCan(actor.ability, "create", "Avenant", "Seul un réservataire prépare des courriers valant avenant.");
  ensureCanOn(actor.ability, "create", "Avenant", own);
  const { year } = await readJsonBody(request, bodySchema);
  const result = await generateAvenants(auditActorOf(actor), {
    reservataireId: actor.organisation.id,
    reservataireKind: actor.organisation.kind,
    year,
  });
  const rows = await listAvenants(actor.organisation.id, year);
  return {
    ...result,
    avenants: rows
      .filter((r) => actor.ability.can("read", asSubject("Avenant", avenantSubject(r.avenant))))
      .map((r) => avenantJson(r.avenant, r)),
  };
});
