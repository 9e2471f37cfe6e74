import type { LoaderFunctionArgs } from "@remix-run/node";
import { bilanDownload } from "~/models/bilan-export.server";

/** A bilan annuel as PDF (the sent one, or the bailleur's draft). */
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  bilanDownload({ request, context }, "pdf");
