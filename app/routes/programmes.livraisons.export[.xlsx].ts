import type { LoaderFunctionArgs } from "@remix-run/node";
import { deliveriesTable } from "~/models/deliveries-export.server";
import { toXlsx } from "~/models/signalements-export.server";

/** The deliveries of the period as XLSX, with the same policy as the page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const table = await deliveriesTable({ request, context });
  return new Response(await toXlsx(table, "Livraisons"), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="${table.name}.xlsx"`,
    },
  });
}
