import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { bilanDownload } from "~/models/bilan-export.server";

/** A bilan annuel as PDF (the sent one, or the bailleur's draft). */
export const loader = withHttpErrors(async ({ request, context }: LoaderFunctionArgs) =>
  bilanDownload(await requireActor(request, context), new URL(request.url).searchParams, "pdf"),
);
