import type { LoaderFunctionArgs } from "@remix-run/node";
import { metropolitanBilanDownload } from "~/models/metropolitan-bilan.server";

/** The metropolitan bilan for the CIL as XLSX (`?year=`), for the comité de suivi. */
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  metropolitanBilanDownload({ request, context });
