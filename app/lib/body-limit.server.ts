import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import { MAX_DOCUMENT_BYTES } from "~/domain/comite-documents";
import { MAX_IMPORT_BYTES } from "~/lib/attribution-schemas";

/** A page's form (a few fields, a comment): far below this. */
export const FORM_BODY_LIMIT = 64 * 1024;
/** An API call's JSON. */
export const JSON_BODY_LIMIT = 1024 * 1024;
/** Room for the multipart envelope and the other fields around a file. */
const ENVELOPE_BYTES = 64 * 1024;

type Limit = { bytes: number; message: string };

const MB = 1024 * 1024;

/** A comité's document, with its multipart envelope. */
export const DOCUMENT_BODY: Limit = {
  bytes: MAX_DOCUMENT_BYTES + ENVELOPE_BYTES,
  message: `Document trop volumineux : ${MAX_DOCUMENT_BYTES / MB} Mo au plus. Compressez-le ou découpez-le.`,
};

const FILE_ROUTES: Array<{ path: RegExp; limit: Limit }> = [
  {
    // The attributions import (page and API) and the API's batch of attributions.
    path: /^(\/api\/v1)?\/attributions\/import\/?$|^\/api\/v1\/attributions\/?$/i,
    limit: {
      bytes: MAX_IMPORT_BYTES + ENVELOPE_BYTES,
      message: `Fichier trop volumineux : ${MAX_IMPORT_BYTES / MB} Mo au plus. Découpez-le (par exemple par trimestre) et importez chaque partie.`,
    },
  },
  // A comité's documents (the comité page's upload form and the API).
  { path: /^\/comites\/[^/]+\/?$|^\/api\/v1\/comites\/[^/]+\/documents\/?$/i, limit: DOCUMENT_BODY },
];

/** The most a request to `path` may send: a file route's stated maximum, 1 MB of JSON for the API, 64 KB for a form. */
export function bodyLimitFor(path: string): Limit {
  const file = FILE_ROUTES.find((route) => route.path.test(path));
  if (file) return file.limit;
  if (/^\/api\//i.test(path))
    return {
      bytes: JSON_BODY_LIMIT,
      message: "Requête trop volumineuse : 1 Mo de JSON au plus. Découpez l'envoi.",
    };
  return {
    bytes: FORM_BODY_LIMIT,
    message: "Formulaire trop volumineux : 64 Ko au plus. Raccourcissez les textes saisis.",
  };
}

/**
 * Express middleware: reads the body of a write up to its route's limit (`bodyLimitFor`), counting the bytes that
 * arrive — a chunked body announces no length — and answers a French 413 as soon as the limit is passed, closing
 * the connection instead of reading on. The body read is left in `req.body` (a Buffer) for the request handler.
 */
export function limitBodies(req: ExpressRequest, res: ExpressResponse, next: NextFunction): void {
  if (req.method === "GET" || req.method === "HEAD") {
    next();
    return;
  }
  const limit = bodyLimitFor(req.path);
  const refuse = () => {
    res.status(413).set("connection", "close").json({ message: limit.message });
    // Stop reading: a client sending 250 MB is not waited for.
    res.once("finish", () => req.destroy());
  };
  if (Number(req.get("content-length") ?? 0) > limit.bytes) {
    refuse();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit.bytes) {
      chunks.push(chunk);
      return;
    }
    req.off("data", onData).off("end", onEnd);
    chunks.length = 0;
    refuse();
  };
  const onEnd = () => {
    req.body = Buffer.concat(chunks);
    next();
  };
  req.on("data", onData).once("end", onEnd).once("error", next);
}
