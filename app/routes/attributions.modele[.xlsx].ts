import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { attributionTemplateXlsx } from "~/models/attribution-import.server";

/** The XLSX import template: the columns and an example row, the accepted codes on a second sheet. */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  await requireActor(request, context);
  return new Response(await attributionTemplateXlsx(), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": 'attachment; filename="modele-attributions.xlsx"',
    },
  });
}
