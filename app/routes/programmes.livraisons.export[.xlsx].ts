import type { LoaderFunctionArgs } from "@remix-run/node";
import { xlsxResponse } from "~/lib/spreadsheet.server";
import { deliveriesTable } from "~/models/deliveries-export.server";

/** The deliveries of the period as XLSX, with the same policy as the page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const table = await deliveriesTable({ request, context });
  return xlsxResponse(table, table.name, "Livraisons");
}
