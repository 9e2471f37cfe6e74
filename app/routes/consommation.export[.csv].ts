import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { reportExport } from "~/models/reports-export.server";

/** The report as CSV, with the page's policy, filters and masking. */
export const loader = withHttpErrors(async ({ request, context }: LoaderFunctionArgs) =>
  reportExport(
    await requireActor(request, context),
    new URL(request.url).searchParams,
    "consommation",
    "csv",
  ),
);
