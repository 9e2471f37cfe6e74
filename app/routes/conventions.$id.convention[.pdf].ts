import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { conventionPdf } from "~/models/convention-pdf.server";
import { readableConvention } from "~/models/conventions.server";

/** The convention as a PDF (who signed, when), for those who may read it (otherwise 404). */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const { json } = await readableConvention(actor, params.id);
  const pdf = await conventionPdf(json);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="${json.title.replace(/[^\w-]+/g, "-")}.pdf"`,
    },
  });
}
