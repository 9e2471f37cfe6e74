import { DOCUMENT_BODY } from "./body-limit.server";
import { httpError } from "./http.server";

/**
 * Refuses with 413 before reading a body announced bigger than a 20 MB document can make (the server's
 * `limitBodies` also counts the bytes of a body that announces no length).
 */
export function refuseOversizedUpload(request: Request): void {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > DOCUMENT_BODY.bytes) throw httpError(413, DOCUMENT_BODY.message);
}

/** The uploaded file of a form field, or a French 400. */
export function uploadedFile(formData: FormData, field = "file"): File {
  const file = formData.get(field);
  if (!(file instanceof File) || file.name === "")
    throw httpError(400, "Choisissez le document à joindre (PDF, XLSX, CSV, ODS ou DOCX, 20 Mo au plus).");
  return file;
}
