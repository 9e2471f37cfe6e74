import { inflateSync } from "node:zlib";

/** The text of a pdfkit PDF, one line per line (its streams inflated, the hex strings of each TJ decoded). */
export function pdfText(pdf: Buffer): string {
  const lines: string[] = [];
  for (const stream of pdf.toString("latin1").matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let body: string;
    try {
      body = inflateSync(Buffer.from(stream[1]!, "latin1")).toString("latin1");
    } catch {
      continue; // a font or an image, not a page's text
    }
    for (const tj of body.matchAll(/\[(.*?)\] TJ/g))
      lines.push(
        [...tj[1]!.matchAll(/<([0-9a-f]+)>/g)]
          .map((h) => Buffer.from(h[1]!, "hex").toString("latin1"))
          .join(""),
      );
  }
  return lines.join("\n");
}
