import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { httpErrors } from "~/lib/http.server";
import { annexCsv, exportName, loadReadableAnnex } from "~/models/assiette-export.server";

/** The Annex 1 table as CSV (`;`, UTF-8 BOM), with the rows the actor may read (same policy as the page), from the version asked for (`?version=N`) or the latest. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const annex = await httpErrors(() => loadReadableAnnex(actor, request.url, params.year));
  return new Response(annexCsv(annex), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${exportName(annex, "csv")}"`,
    },
  });
}
