import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { reportExport } from "~/models/reports-export.server";

/** The report as CSV, with the page's policy, filters and masking. */
export const loader = async ({ request, context }: LoaderFunctionArgs) =>
  reportExport(
    await requireActor(request, context),
    new URL(request.url).searchParams,
    "consommation",
    "csv",
  );
