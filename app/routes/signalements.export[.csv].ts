import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { csvResponse } from "~/lib/spreadsheet.server";
import { exportTable } from "~/models/signalements-export.server";

/** The board's signalements as CSV (`;`, UTF-8 BOM), with the same policy and filters as the page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return csvResponse(
    await exportTable(await requireActor(request, context), new URL(request.url).searchParams),
    "signalements",
  );
}
