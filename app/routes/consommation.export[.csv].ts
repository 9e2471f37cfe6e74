import type { LoaderFunctionArgs } from "@remix-run/node";
import { reportExport } from "~/models/reports-export.server";

/** The report as CSV, with the page's policy, filters and masking. */
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  reportExport({ request, context }, "consommation", "csv");
