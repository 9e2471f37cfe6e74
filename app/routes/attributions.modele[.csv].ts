import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { attributionTemplateCsv } from "~/models/attribution-import.server";

/** The CSV import template: French headers and an example row (`;`, UTF-8 with BOM for Excel). */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  await requireActor(request, context);
  return new Response(attributionTemplateCsv(), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="modele-attributions.csv"',
    },
  });
}
