/**
 * Documents attached to a comité de suivi meeting: at most 20 MB, and only PDF, XLSX, CSV, ODS or DOCX — checked on
 * the extension AND the content's first bytes (a renamed executable is refused).
 */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

const ZIP = [0x50, 0x4b, 0x03, 0x04]; // "PK\3\4": XLSX, DOCX and ODS are ZIP containers.
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

const TYPES = {
  pdf: { contentType: "application/pdf", magic: PDF },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", magic: ZIP },
  docx: {
    contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    magic: ZIP,
  },
  ods: { contentType: "application/vnd.oasis.opendocument.spreadsheet", magic: ZIP },
  csv: { contentType: "text/csv; charset=utf-8", magic: null },
} as const;

const startsWith = (content: Uint8Array, magic: readonly number[]) =>
  magic.every((byte, i) => content[i] === byte);

/** A CSV is text (UTF-8 or windows-1252): no NUL byte in its first 64 KB, unlike a binary in disguise. */
function looksLikeText(content: Uint8Array): boolean {
  return !content.subarray(0, 65_536).includes(0);
}

/** The content type to store, or the French reason why the file is refused. */
export function documentTypeError(
  filename: string,
  content: Uint8Array,
): { error: null; contentType: string } | { error: string; contentType: null } {
  const extension = filename.toLowerCase().split(".").pop() ?? "";
  const type = TYPES[extension as keyof typeof TYPES];
  const refused = (error: string) => ({ error, contentType: null });
  if (!type) return refused("Type de document refusé : joignez un PDF, XLSX, CSV, ODS ou DOCX.");
  if (content.byteLength === 0) return refused("Le document est vide.");
  const matches = type.magic ? startsWith(content, type.magic) : looksLikeText(content);
  if (!matches)
    return refused(
      `Le contenu du fichier ne correspond pas à son extension .${extension} : joignez un vrai PDF, XLSX, CSV, ODS ou DOCX.`,
    );
  return { error: null, contentType: type.contentType };
}
