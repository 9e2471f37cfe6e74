import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { ATTRIBUTION_COLUMNS } from "~/lib/attribution-schemas";
import { action as apiImport } from "~/routes/api.v1.attributions.import";
import { apiCaller, callApi } from "../helpers/api";

/** A ZIP of the given files (deflated), as Excel writes an XLSX. */
function zip(files: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = zlib.deflateRawSync(content, { level: 9 });
    const fields = (signature: number, size: number) => {
      const header = Buffer.alloc(size);
      header.writeUInt32LE(signature, 0);
      return header;
    };
    const local = fields(0x04034b50, 30);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(zlib.crc32(content), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = fields(0x02014b50, 46);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(zlib.crc32(content), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, Buffer.from(name), data);
    centrals.push(central, Buffer.from(name));
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const importing = async (body: Uint8Array) =>
  callApi(await apiCaller("vilogia", ["gestionnaire"]), apiImport, {
    path: "/attributions/import",
    init: { method: "POST", body: new Uint8Array(body) },
  });

describe("import files that would exhaust the server", () => {
  it("refuses an XLSX whose sheet inflates past 50 MB with a French 413, before inflating it", async () => {
    const sheet = Buffer.from(
      `<worksheet><sheetData>${"<row><c><v>1</v></c></row>".repeat(3_000_000)}</sheetData></worksheet>`,
    );
    const bomb = zip({ "[Content_Types].xml": Buffer.from("<Types/>"), "xl/worksheets/sheet1.xml": sheet });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const answer = await importing(bomb);
    expect(answer.status).toBe(413);
    expect(answer.body.message).toMatch(
      /^Classeur trop volumineux une fois décompressé \(\d+ Mo, 50 Mo au plus\)/,
    );
  });

  it("names a UTF-16 CSV as such, instead of « Colonne manquante »", async () => {
    const header = ATTRIBUTION_COLUMNS.map((c) => c.header).join(";");
    const example = ATTRIBUTION_COLUMNS.map((c) => c.example).join(";");
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${header}\r\n${example}\r\n`, "utf16le"),
    ]);
    const answer = await importing(utf16);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/^Fichier en UTF-16/);
    const withoutMark = await importing(Buffer.from(`${header}\r\n${example}\r\n`, "utf16le"));
    expect(withoutMark.body.message).toMatch(/^Fichier en UTF-16/);
  });
});
