import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { httpErrors } from "~/lib/http.server";
import { csvResponse } from "~/lib/spreadsheet.server";
import { deliveriesTable } from "~/models/deliveries-export.server";

/** The deliveries of the period as CSV (`;`, UTF-8 BOM), with the same policy as the page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const table = await httpErrors(() => deliveriesTable(actor, new URL(request.url)));
  return csvResponse(table, table.name);
}
