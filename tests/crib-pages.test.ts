import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { action as sessionsAction, loader as sessionsLoader } from "~/routes/_app.crib._index";
import { action as sessionAction, loader as sessionLoader } from "~/routes/_app.crib.$id";
import { loader as exportLoader } from "~/routes/crib.$id.export[.csv]";
import { loader as xlsxExportLoader } from "~/routes/crib.$id.export[.xlsx]";
import { type Browser, browser, get, outcome, post } from "./helpers/clients";

let mel: Browser;
let urh: Browser;
let vilogia: Browser;
let lmh: Browser;
let commune: Browser;

beforeAll(async () => {
  mel = await browser("mel", ["admin"]);
  urh = await browser("urh", ["gestionnaire"]);
  vilogia = await browser("vilogia", ["gestionnaire"]);
  lmh = await browser("lille-metropole-habitat", ["gestionnaire"]);
  commune = await browser("commune-59350", ["admin"]);
});

describe("CRIB pages", () => {
  it("runs a session from the MEL's list to the bailleurs' answers, the URH's follow-up and the export", async () => {
    const created = await outcome(
      sessionsAction({ request: post(mel, "/crib", [["heldOn", "2026-06-11"]]), params: {}, context: {} }),
    );
    expect(created.status).toBe(302);
    const id = created.location!.split("/").at(-1)!;
    const act = (who: Browser, fields: Array<[string, string]>) =>
      outcome(sessionAction({ request: post(who, `/crib/${id}`, fields), params: { id }, context: {} }));

    const badCase = await act(mel, [
      ["intent", "add-case"],
      ["numeroUnique", "059 2302 00700 Q"],
      ["originBailleurSlug", "vilogia"],
      ["typology", "T4"],
      ["communesWanted", "Lille"],
    ]);
    expect(badCase.status).toBe(400);
    const added = await act(mel, [
      ["intent", "add-case"],
      ["numeroUnique", "059 2302 00700 Q"],
      ["originBailleurSlug", "vilogia"],
      ["typology", "T4"],
      ["communesWanted", "59350"],
    ]);
    expect(added.result).toMatchObject({ ok: true });
    expect(
      (await outcome(sessionLoader({ request: get(vilogia, `/crib/${id}`), params: { id }, context: {} })))
        .status,
    ).toBe(404);
    expect((await act(mel, [["intent", "publish"]])).result).toMatchObject({ ok: true });

    const page = (await sessionLoader({
      request: get(vilogia, `/crib/${id}`),
      params: { id },
      context: {},
    })) as {
      cases: Array<{ id: string }>;
      canAnswer: boolean;
      canFollow: boolean;
    };
    expect(page).toMatchObject({ canAnswer: true, canFollow: false });
    const caseId = page.cases[0]!.id;
    const answered = await act(vilogia, [
      ["intent", "answer"],
      ["caseId", caseId],
      ["hasSolution", "true"],
      ["flatCommune", "59512"],
      ["flatTypology", "T4"],
    ]);
    expect(answered.result).toMatchObject({ ok: true });
    expect(
      (
        await act(lmh, [
          ["intent", "answer"],
          ["caseId", caseId],
          ["hasSolution", "false"],
        ])
      ).result,
    ).toMatchObject({
      ok: true,
    });
    const followed = await act(urh, [
      ["intent", "follow"],
      ["caseId", caseId],
      ["pilotBailleurSlug", "vilogia"],
      ["status", ""],
    ]);
    expect(followed.result).toMatchObject({ ok: true });

    const csvOf = async (who: Browser) =>
      new TextDecoder().decode(
        await (
          await exportLoader({ request: get(who, `/crib/${id}/export.csv`), params: { id }, context: {} })
        ).arrayBuffer(),
      );
    const urhCsv = (await csvOf(urh)).split("\r\n");
    expect(urhCsv[0]!.split(";")[0]).toBe("Numéro unique");
    expect(urhCsv.slice(1).map((l) => l.split(";").slice(6, 8))).toEqual([
      ["Lille Métropole Habitat", "non"],
      ["Vilogia", "oui"],
    ]);
    const lmhCsv = (await csvOf(lmh)).split("\r\n");
    expect(lmhCsv.slice(1).map((l) => l.split(";")[6])).toEqual(["Lille Métropole Habitat"]);

    // The same list as XLSX, one sheet per session, the bailleur seeing only its own answer.
    const xlsxOf = async (who: Browser) => {
      const response = await xlsxExportLoader({
        request: get(who, `/crib/${id}/export.xlsx`),
        params: { id },
        context: {},
      });
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="crib-.+\.xlsx"$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await response.arrayBuffer());
      const sheet = workbook.worksheets[0]!;
      return sheet
        .getSheetValues()
        .slice(1)
        .map((row) => (row as unknown[]).slice(1));
    };
    const urhXlsx = await xlsxOf(urh);
    expect(urhXlsx[0]![0]).toBe("Numéro unique");
    expect(urhXlsx.slice(1).map((row) => row.slice(6, 8))).toEqual([
      ["Lille Métropole Habitat", "non"],
      ["Vilogia", "oui"],
    ]);
    expect((await xlsxOf(lmh)).slice(1).map((row) => row[6])).toEqual(["Lille Métropole Habitat"]);
  });

  it("keeps the CRIB list from the communes", async () => {
    expect(
      (await outcome(sessionsLoader({ request: get(commune, "/crib"), params: {}, context: {} }))).status,
    ).toBe(403);
    const sessions = (await sessionsLoader({ request: get(mel, "/crib"), params: {}, context: {} })) as {
      sessions: Array<{ id: string }>;
    };
    const id = sessions.sessions[0]!.id;
    expect(
      (await outcome(sessionLoader({ request: get(commune, `/crib/${id}`), params: { id }, context: {} })))
        .status,
    ).toBe(404);
    expect(
      (
        await outcome(
          exportLoader({ request: get(commune, `/crib/${id}/export.csv`), params: { id }, context: {} }),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await outcome(
          xlsxExportLoader({ request: get(commune, `/crib/${id}/export.xlsx`), params: { id }, context: {} }),
        )
      ).status,
    ).toBe(404);
  });
});
