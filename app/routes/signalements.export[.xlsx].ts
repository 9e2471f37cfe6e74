import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportTable, toXlsx } from "~/models/signalements-export.server";

/** The board's signalements as XLSX, with the same policy and filters as the page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const xlsx = await toXlsx(await exportTable({ request, context }));
  return new Response(xlsx, {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": 'attachment; filename="signalements.xlsx"',
    },
  });
}
