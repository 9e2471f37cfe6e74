import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { httpErrors } from "~/lib/http.server";
import { xlsxResponse } from "~/lib/spreadsheet.server";
import { cribExportTable } from "~/models/crib.server";

/** A CRIB session's list as XLSX: one row per case and answer the actor may see (same policy as the page). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const { heldOn, ...table } = await httpErrors(() => cribExportTable(actor, params.id ?? ""));
  return xlsxResponse(table, `crib-${heldOn}`, `CRIB du ${heldOn}`);
}
