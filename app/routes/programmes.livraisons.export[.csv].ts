import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { csvResponse } from "~/lib/spreadsheet.server";
import { deliveriesTable } from "~/models/deliveries-export.server";

/** The deliveries of the period as CSV (`;`, UTF-8 BOM), with the same policy as the page. */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const table = await deliveriesTable(await requireActor(request, context), new URL(request.url));
  return csvResponse(table, table.name);
}
