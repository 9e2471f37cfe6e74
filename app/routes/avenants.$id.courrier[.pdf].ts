import type { LoaderFunctionArgs } from "@remix-run/node";
import { ensureCanOn } from "#policies/guard.server";
import { requireActor } from "~/lib/actor.server";
import { uuidParam } from "~/lib/route-params.server";
import { versionLabelOf } from "~/models/assiette.server";
import { avenantPdf } from "~/models/avenant-pdf.server";
import { avenantJson, avenantSubject, getAvenant, organisationNames } from "~/models/avenants.server";

/** The letter as a PDF, for its two parties only (another party's id answers 404). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const id = uuidParam(params.id, "Ce courrier");
  const row = await getAvenant(id);
  ensureCanOn(actor.ability, "read", "Avenant", row ? avenantSubject(row) : undefined, "Ce courrier");
  const letter = avenantJson(row!, await organisationNames(row!));
  const pdf = await avenantPdf({
    ...letter,
    assietteLabel: await versionLabelOf(letter.year, letter.assietteVersion),
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="courrier-avenant-${letter.year}-${letter.bailleur.name.replace(/[^\w-]+/g, "-")}.pdf"`,
    },
  });
}
