import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { httpErrors } from "~/lib/http.server";
import { metropolitanBilanDownload } from "~/models/metropolitan-bilan.server";

/** The metropolitan bilan for the CIL as XLSX (`?year=`), for the comité de suivi. */
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context);
  return httpErrors(() => metropolitanBilanDownload(actor, new URL(request.url).searchParams));
};
