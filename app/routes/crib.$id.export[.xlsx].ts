import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { xlsxResponse } from "~/lib/spreadsheet.server";
import { cribExportTable } from "~/models/crib.server";

/** A CRIB session's list as XLSX: one row per case and answer the actor may see (same policy as the page). */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const { heldOn, ...table } = await cribExportTable(actor, params.id ?? "");
  return xlsxResponse(table, `crib-${heldOn}`, `CRIB du ${heldOn}`);
}
