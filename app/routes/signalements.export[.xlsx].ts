import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { xlsxResponse } from "~/lib/spreadsheet.server";
import { exportTable } from "~/models/signalements-export.server";

/** The board's signalements as XLSX, with the same policy and filters as the page. */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  return xlsxResponse(
    await exportTable(await requireActor(request, context), new URL(request.url).searchParams),
    "signalements",
    "Signalements",
  );
}
