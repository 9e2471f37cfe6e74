import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { httpErrors } from "~/lib/http.server";
import { reportExport } from "~/models/reports-export.server";

/** The report as XLSX, with the page's policy, filters and masking. */
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context);
  return httpErrors(() => reportExport(actor, new URL(request.url).searchParams, "consommation", "xlsx"));
};
