import {
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  otherMethods,
  requireMethod,
} from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { documentAttachedResponse } from "~/lib/programme-responses";
import { refuseOversizedUpload, uploadedFile } from "~/lib/upload.server";
import { attachDocuments } from "~/models/comites.server";

export const methods: readonly ApiMethod[] = ["POST"];
export const outputs: ApiOutputs = { POST: { 201: documentAttachedResponse } };

/** POST /api/v1/comites/:id/documents — multipart field `file`: PDF, XLSX, CSV, ODS or DOCX, 20 MB at most. */
export const action = apiHandler(async (actor, { request, params }) => {
  requireMethod(request, methods);
  refuseOversizedUpload(request);
  const formData = await request.formData().catch(() => {
    throw httpError(400, "Envoyez le document en multipart/form-data, champ « file ».");
  });
  const [document] = await attachDocuments(actor, params.id ?? "", [uploadedFile(formData)]);
  return Response.json(document, { status: 201 });
}, outputs);

export const loader = otherMethods(methods);
