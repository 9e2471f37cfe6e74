import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { httpErrors } from "~/lib/http.server";
import { bilanDownload } from "~/models/bilan-export.server";

/** A bilan annuel as PDF (the sent one, or the bailleur's draft). */
export const loader = async ({ request, context }: LoaderFunctionArgs) =>
  httpErrors(async () =>
    bilanDownload(await requireActor(request, context), new URL(request.url).searchParams, "pdf"),
  );
