import PDFDocument from "pdfkit";

/**
 * A PDF of the portal (A4, 56 pt margins, `title` in its metadata) as one Buffer: `draw` writes the pages, the
 * document is closed here and its stream collected, so no export repeats the pdfkit plumbing.
 */
export function pdfBuffer(title: string, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 56, info: { Title: title } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  draw(doc);
  doc.end();
  return done;
}
