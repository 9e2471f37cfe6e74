import { apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { refuseOversizedUpload, uploadedFile } from "~/lib/upload.server";
import { attachDocuments } from "~/models/comites.server";

/** POST /api/v1/comites/:id/documents — multipart field `file`: PDF, XLSX, CSV, ODS or DOCX, 20 MB at most. */
export const action = apiHandler(async (actor, { request, params }) => {
  if (request.method !== "POST") throw httpError(405, "Méthode non permise : utilisez POST.");
  refuseOversizedUpload(request);
  const formData = await request.formData().catch(() => {
    throw httpError(400, "Envoyez le document en multipart/form-data, champ « file ».");
  });
  const [document] = await attachDocuments(actor, params.id ?? "", [uploadedFile(formData)]);
  return Response.json(document, { status: 201 });
});

export const loader = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : utilisez POST (la liste est sur /api/v1/comites/:id).");
});
