import { MAX_DOCUMENT_BYTES } from "~/domain/comite-documents";
import { httpError } from "./http.server";

/** Room for the multipart envelope and the other fields around a document of at most MAX_DOCUMENT_BYTES. */
const ENVELOPE_BYTES = 64 * 1024;

/** Refuses with 413 before reading a body announced bigger than a 20 MB document can make. */
export function refuseOversizedUpload(request: Request): void {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_DOCUMENT_BYTES + ENVELOPE_BYTES)
    throw httpError(413, "Document trop volumineux : 20 Mo au plus. Compressez-le ou découpez-le.");
}

/** The uploaded file of a form field, or a French 400. */
export function uploadedFile(formData: FormData, field = "file"): File {
  const file = formData.get(field);
  if (!(file instanceof File) || file.name === "")
    throw httpError(400, "Choisissez le document à joindre (PDF, XLSX, CSV, ODS ou DOCX, 20 Mo au plus).");
  return file;
}
