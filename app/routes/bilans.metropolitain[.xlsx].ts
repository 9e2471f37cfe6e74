import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { metropolitanBilanDownload } from "~/models/metropolitan-bilan.server";

/** The metropolitan bilan for the CIL as XLSX (`?year=`), for the comité de suivi. */
export const loader = withHttpErrors(async ({ request, context }: LoaderFunctionArgs) =>
  metropolitanBilanDownload(await requireActor(request, context), new URL(request.url).searchParams),
);
