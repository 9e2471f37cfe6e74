import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportTable, toCsv } from "~/models/signalements-export.server";

/** The board's signalements as CSV (`;`, UTF-8 BOM), with the same policy and filters as the page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const csv = toCsv(await exportTable({ request, context }));
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="signalements.csv"',
    },
  });
}
