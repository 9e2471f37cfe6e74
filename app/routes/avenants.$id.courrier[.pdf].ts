import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { uuidParam } from "~/lib/route-params.server";
import { versionLabelOf } from "~/models/assiette.server";
import { avenantPdf } from "~/models/avenant-pdf.server";
import { readAvenant } from "~/models/avenants.server";

/** The letter as a PDF, for those who may read it (another party's id answers 404). */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const id = uuidParam(params.id, "Ce courrier");
  const letter = await readAvenant(actor, id);
  const pdf = await avenantPdf({
    ...letter,
    assietteLabel: await versionLabelOf(actor, letter.year, letter.assietteVersion),
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="courrier-avenant-${letter.year}-${letter.bailleur.name.replace(/[^\w-]+/g, "-")}.pdf"`,
    },
  });
}
