import type { LoaderFunctionArgs } from "@remix-run/node";
import { deliveriesTable } from "~/models/deliveries-export.server";
import { toCsv } from "~/models/signalements-export.server";

/** The deliveries of the period as CSV (`;`, UTF-8 BOM), with the same policy as the page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const table = await deliveriesTable({ request, context });
  return new Response(toCsv(table), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${table.name}.csv"`,
    },
  });
}
