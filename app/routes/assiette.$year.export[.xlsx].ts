import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { httpErrors } from "~/lib/http.server";
import { annexXlsx, exportName, loadReadableAnnex } from "~/models/assiette-export.server";

/** The Annex 1 table as XLSX, with the rows the actor may read (same policy as the page), from the version asked for (`?version=N`) or the latest. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const annex = await httpErrors(() => loadReadableAnnex(actor, request.url, params.year));
  return new Response(new Uint8Array(await annexXlsx(annex)), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="${exportName(annex, "xlsx")}"`,
    },
  });
}
