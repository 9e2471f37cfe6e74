import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { readDocument } from "~/models/comites.server";

/** Downloads a meeting's document, for those who may read the meeting. */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const document = await readDocument(actor, params.id ?? "", params.documentId ?? "");
  return new Response(new Uint8Array(document.content), {
    headers: {
      "content-type": document.contentType,
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(document.filename)}`,
      "x-content-type-options": "nosniff",
    },
  });
}
