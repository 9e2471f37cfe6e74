import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { signalementReads, signalements } from "#db/schema";
import { loader as boardLoader } from "~/routes/_app.signalements._index";
import { action as detailAction, loader as detailLoader } from "~/routes/_app.signalements.$id";
import { action as newAction, loader as newLoader } from "~/routes/_app.signalements.nouveau";
import { loader as statsLoader } from "~/routes/_app.signalements.tableau";
import { loader as csvLoader } from "~/routes/signalements.export[.csv]";
import { loader as xlsxLoader } from "~/routes/signalements.export[.xlsx]";
import { type Browser, browser, get, outcome, post } from "./helpers/clients";

let commune: Browser;
let otherCommune: Browser;
let bailleur: Browser;
let mel: Browser;

const form: Array<[string, string]> = [
  ["numeroUnique", "059 2409 00100 A"],
  ["adults", "1"],
  ["children", "2"],
  ["typology", "T3"],
  ["communesWanted", "59350"],
  ["communesWanted", "59009"],
  ["publicCategory", "pdalhpd_labellise"],
  ["incomeQuartile", ""],
  ["urgency", "normal"],
  ["reason", "Hébergée chez un tiers avec ses enfants."],
  ["bailleurSlugs", "vilogia"],
];

let id: string;

beforeAll(async () => {
  commune = await browser("commune-59350", ["gestionnaire"]);
  otherCommune = await browser("commune-59512", ["admin"]);
  bailleur = await browser("vilogia", ["gestionnaire"]);
  mel = await browser("mel", ["lecteur"]);
});

describe("signalement pages", () => {
  it("lets a commune signal a household through the form, then a bailleur acknowledge and present it in CALEOL", async () => {
    expect(
      (await outcome(newLoader({ request: get(commune, "/signalements/nouveau"), params: {}, context: {} })))
        .status,
    ).toBe(200);
    expect(
      (await outcome(newLoader({ request: get(bailleur, "/signalements/nouveau"), params: {}, context: {} })))
        .status,
    ).toBe(403);

    const bad = await outcome(
      newAction({
        request: post(
          commune,
          "/signalements/nouveau",
          form.filter(([k]) => k !== "bailleurSlugs").map(([k, v]) => [k, k === "numeroUnique" ? "059" : v]),
        ),
        params: {},
        context: {},
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.result).toMatchObject({
      ok: false,
      errors: {
        bailleurSlugs: "Choisissez au moins un bailleur destinataire.",
        numeroUnique: expect.stringContaining("code du département"),
      },
    });

    const created = await outcome(
      newAction({ request: post(commune, "/signalements/nouveau", form), params: {}, context: {} }),
    );
    expect(created.status).toBe(302);
    id = created.location!.split("/").at(-1)!;
    const [row] = await db.select().from(signalements).where(eq(signalements.id, id));
    expect(row).toMatchObject({
      numeroUnique: "059240900100A",
      incomeQuartile: null,
      communesWanted: ["59350", "59009"],
    });

    const duplicate = await outcome(
      newAction({ request: post(commune, "/signalements/nouveau", form), params: {}, context: {} }),
    );
    expect(duplicate.status).toBe(409);

    const ack = await outcome(
      detailAction({
        request: post(bailleur, `/signalements/${id}`, [
          ["intent", "event"],
          ["type", "acknowledged"],
        ]),
        params: { id },
        context: {},
      }),
    );
    expect(ack.result).toMatchObject({ ok: true });
    const jump = await outcome(
      detailAction({
        request: post(bailleur, `/signalements/${id}`, [
          ["intent", "event"],
          ["type", "lease_signed"],
          ["signedOn", "2026-01-02"],
        ]),
        params: { id },
        context: {},
      }),
    );
    expect(jump.status).toBe(409);
    expect(jump.result).toMatchObject({ ok: false, message: expect.stringMatching(/^Passage impossible/) });
    const presented = await outcome(
      detailAction({
        request: post(bailleur, `/signalements/${id}`, [
          ["intent", "event"],
          ["type", "presented_caleol"],
          ["caleolDate", "2026-02-10"],
          ["flatCommune", "59350"],
          ["flatTypology", "T3"],
        ]),
        params: { id },
        context: {},
      }),
    );
    expect(presented.result).toMatchObject({ ok: true });
    const comment = await outcome(
      detailAction({
        request: post(commune, `/signalements/${id}`, [
          ["intent", "comment"],
          ["text", "Merci pour la proposition."],
        ]),
        params: { id },
        context: {},
      }),
    );
    expect(comment.result).toMatchObject({ ok: true });

    // The commune sees the new status, the history and the comment.
    const page = (await detailLoader({
      request: get(commune, `/signalements/${id}`),
      params: { id },
      context: {},
    })) as {
      signalement: { status: string; events: Array<{ type: string }>; comments: Array<{ text: string }> };
    };
    expect(page.signalement.status).toBe("presented_caleol");
    expect(page.signalement.events.map((e) => e.type)).toEqual(["sent", "acknowledged", "presented_caleol"]);
    expect(page.signalement.comments.map((c) => c.text)).toEqual(["Merci pour la proposition."]);
  });

  it("hides it from another commune everywhere: detail, actions, board and exports", async () => {
    for (const request of [get(otherCommune, `/signalements/${id}`)])
      expect((await outcome(detailLoader({ request, params: { id }, context: {} }))).status).toBe(404);
    const comment = await outcome(
      detailAction({
        request: post(otherCommune, `/signalements/${id}`, [
          ["intent", "comment"],
          ["text", "Bonjour"],
        ]),
        params: { id },
        context: {},
      }),
    );
    expect(comment.status).toBe(404);
    const board = (await boardLoader({
      request: get(otherCommune, "/signalements"),
      params: {},
      context: {},
    })) as {
      rows: unknown[];
      counts: Record<string, number>;
    };
    expect(board.rows).toEqual([]);
    expect(board.counts).toEqual({});
    const stats = await outcome(
      statsLoader({ request: get(otherCommune, "/signalements/tableau"), params: {}, context: {} }),
    );
    expect(stats.status).toBe(403);
    const csv = await (
      await csvLoader({ request: get(otherCommune, "/signalements/export.csv"), params: {}, context: {} })
    ).text();
    expect(csv).not.toContain("059240900100A");
  });

  it("shows the MEL every signalement with per-commune and per-bailleur counts", async () => {
    const board = await boardLoader({ request: get(mel, "/signalements"), params: {}, context: {} });
    expect(board.rows.map((r) => r.id)).toContain(id);
    expect(board.counts).toEqual({ [board.rows[0]!.status]: 1 });
    const { stats } = await statsLoader({
      request: get(mel, "/signalements/tableau"),
      params: {},
      context: {},
    });
    expect(stats.perCommune).toEqual([expect.objectContaining({ name: "Lille", total: 1, open: 1 })]);
    expect(stats.perBailleur).toEqual([
      expect.objectContaining({ name: "Vilogia", total: 1, medianAckDays: 0, medianCloseDays: null }),
    ]);
  });

  it("exports CSV (; and BOM) and XLSX, logging each household read", async () => {
    const before = (await db.select().from(signalementReads).where(eq(signalementReads.signalementId, id)))
      .length;
    const response = await csvLoader({
      request: get(commune, "/signalements/export.csv?status=presented_caleol"),
      params: {},
      context: {},
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, for Excel
    const lines = new TextDecoder().decode(bytes).split("\r\n");
    expect(lines[0]!.split(";")[0]).toBe("Numéro unique");
    expect(lines[1]!.split(";").slice(0, 4)).toEqual(["059240900100A", "Lille", "1", "2"]);
    expect(lines[0]).not.toContain("Suivi par une autre organisation");

    const xlsx = await xlsxLoader({
      request: get(bailleur, "/signalements/export.xlsx"),
      params: {},
      context: {},
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.getWorksheet("Signalements")!;
    expect(sheet.getRow(2).getCell(1).value).toBe("059240900100A");
    const after = await db.select().from(signalementReads).where(eq(signalementReads.signalementId, id));
    expect(after.length).toBe(before + 2);
    expect(after.slice(-2).map((r) => r.via)).toEqual(["export", "export"]);
  });
});
