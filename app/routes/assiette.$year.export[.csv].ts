import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { annexCsv, exportName, loadReadableAnnex } from "~/models/assiette-export.server";

/** The Annex 1 table as CSV (`;`, UTF-8 BOM), with the rows the actor may read (same policy as the page), from the version asked for (`?version=N`) or the latest. */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const annex = await loadReadableAnnex(await requireActor(request, context), request.url, params.year);
  return new Response(annexCsv(annex), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${exportName(annex, "csv")}"`,
    },
  });
}
