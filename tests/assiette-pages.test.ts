import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { emailOutbox, forecasts } from "#db/schema";
import { action as pageAction, loader as pageLoader } from "~/routes/_app.assiette.$year";
import { loader as ratesLoader } from "~/routes/_app.taux-negocies";
import { loader as csvLoader } from "~/routes/assiette.$year.export[.csv]";
import { loader as xlsxLoader } from "~/routes/assiette.$year.export[.xlsx]";
import { browserOf } from "./helpers/cycle";
import { createUser, organisation } from "./helpers/fixtures";
import { signBilaterale } from "./helpers/signed-rates";

/** The assiette page (forecast form, État's reminders, validation and publication), rates page and exports. */
const YEAR = 2027;
const path = `/assiette/${YEAR}`;
const params = { year: String(YEAR) };
const values = { a: "500", b: "50", c: "20", d: "10", e: "5", f: "3", g: "2" };

let vilogia: Awaited<ReturnType<typeof browserOf>>;
let icf: Awaited<ReturnType<typeof browserOf>>;
let etat: Awaited<ReturnType<typeof browserOf>>;
let als: Awaited<ReturnType<typeof browserOf>>;

beforeAll(async () => {
  vilogia = await browserOf(await createUser("vilogia", ["signataire"]));
  await createUser("vilogia", ["gestionnaire"], { email: "gestion@vilogia.test" });
  icf = await browserOf(await createUser("icf-habitat-nord-est", ["gestionnaire"]));
  etat = await browserOf(await createUser("etat", ["signataire"]));
  als = await browserOf(await createUser("action-logement", ["signataire"]));
});

describe("signed rates page", () => {
  it("shows each rate of the year with the document it comes from, and changes nothing", async () => {
    // ALS 13,8 % on Vilogia (12,5 % + its 1,3 % rétrocession) and SICF 15 % on ICF, signed for the year.
    const alsConvention = await signBilaterale("action-logement", "vilogia", 1380, {
      startYear: YEAR,
      endYear: YEAR,
    });
    await signBilaterale("sicf", "icf-habitat-nord-est", 1500, { startYear: YEAR, endYear: YEAR });
    const page = await als.get(ratesLoader, `/taux-negocies?year=${YEAR}`);
    const rates = page.body.rates as Array<{
      bailleur: { slug: string };
      reservataire: { name: string };
      rateBp: number;
      source: { type: string; conventionId: string | null };
    }>;
    // ALS reads its own rates (19 bailleurs, rétrocession included), not the SICF's.
    expect(rates).toHaveLength(19);
    expect(rates.find((r) => r.bailleur.slug === "vilogia")).toMatchObject({
      rateBp: 1380,
      source: { type: "convention", conventionId: alsConvention.id },
    });
    expect(rates.find((r) => r.bailleur.slug === "habitat-du-nord")).toMatchObject({
      rateBp: 130,
      source: { type: "cadre" },
    });
    expect(page.body).not.toHaveProperty("canEdit");
    const all = (await etat.get(ratesLoader, `/taux-negocies?year=${YEAR}`)).body.rates as typeof rates;
    expect(
      all.find((r) => r.bailleur.slug === "icf-habitat-nord-est" && r.reservataire.name.includes("SICF"))
        ?.rateBp,
    ).toBe(1500);
    // Another year knows nothing of these conventions.
    const before = (await etat.get(ratesLoader, `/taux-negocies?year=${YEAR - 1}`)).body
      .rates as typeof rates;
    expect(before.some((r) => r.source.type === "convention")).toBe(false);
  });
});

describe("assiette page", () => {
  it("lets the bailleur save a draft, fix an error, then submit; nothing changes after submission", async () => {
    const wrong = await vilogia.post(pageAction, path, { intent: "save", ...values, c: "600" }, params);
    expect(wrong.status).toBe(400);
    expect((wrong.body.errors as Record<string, string>).a).toMatch(/dépasse A/);
    expect(await db.select().from(forecasts)).toEqual([]);
    expect((await vilogia.post(pageAction, path, { intent: "save", ...values }, params)).body.ok).toBe(true);
    const page = await vilogia.get(pageLoader, path, params);
    expect(page.body.canEditOwn).toBe(true);
    expect((page.body.ownRow as { h: number }).h).toBe(460);
    expect((await vilogia.post(pageAction, path, { intent: "submit", ...values }, params)).body.ok).toBe(
      true,
    );
    const again = await vilogia.post(pageAction, path, { intent: "submit", ...values, a: "900" }, params);
    expect(again.status).toBe(409);
    expect((await vilogia.get(pageLoader, path, params)).body.canEditOwn).toBe(false);
  });

  it("lets the État remind the late bailleurs (one action, mails in the outbox), correct and validate", async () => {
    const before = (await db.select().from(emailOutbox)).length;
    const reminded = await etat.post(pageAction, path, { intent: "remind" }, params);
    expect(reminded.body.ok).toBe(true);
    const mails = await db.select().from(emailOutbox);
    const reminders = mails.slice(before);
    expect(reminders.some((m) => m.to.endsWith("@icf-habitat-nord-est.test"))).toBe(true);
    // Vilogia has submitted: none of its members is chased.
    expect(reminders.some((m) => m.to.endsWith("@vilogia.test"))).toBe(false);
    expect((await icf.post(pageAction, path, { intent: "remind" }, params)).status).toBe(403);

    const vilogiaOrg = await organisation("vilogia");
    const corrected = await etat.post(
      pageAction,
      path,
      { intent: "correct", bailleurId: vilogiaOrg.id, ...values, a: "520" },
      params,
    );
    expect(corrected.body.ok).toBe(true);
    const [row] = await db
      .select()
      .from(forecasts)
      .where(and(eq(forecasts.bailleurId, vilogiaOrg.id), eq(forecasts.year, YEAR)));
    expect(row!.a).toBe(520);
    expect(
      (await etat.post(pageAction, path, { intent: "validate", forecastId: row!.id }, params)).body.ok,
    ).toBe(true);
    expect(
      (await etat.post(pageAction, path, { intent: "validate", forecastId: row!.id }, params)).status,
    ).toBe(409);
    expect(
      (await icf.post(pageAction, path, { intent: "validate", forecastId: row!.id }, params)).status,
    ).toBe(404);
  });

  it("publishes only with the explicit confirmation, then exports CSV and XLSX in Annex 1's order", async () => {
    await icf.post(pageAction, path, { intent: "submit", ...values, a: "300" }, params);
    const refused = await etat.post(pageAction, path, { intent: "publish" }, params);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/confirmez/);
    expect(
      (await etat.post(pageAction, path, { intent: "publish", confirmIncomplete: "oui" }, params)).body.ok,
    ).toBe(true);

    const annex = (await als.get(pageLoader, path, params)).body.annex as {
      rows: Array<{ bailleur: { slug: string } }>;
    };
    // Annex 1 lists Habitat du Nord … ICF (5th) … Vilogia (17th).
    expect(annex.rows.map((r) => r.bailleur.slug)).toEqual(["icf-habitat-nord-est", "vilogia"]);

    const csv = await als.raw(csvLoader, `${path}/export.csv`, params);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split("\r\n");
    const header = lines[0]!.split(";");
    expect(header[0]).toBe("Bailleur");
    expect(header.slice(1, 9).map((h) => h.replace(/"/g, "").slice(0, 3))).toEqual([
      "(A)",
      "(B)",
      "(C)",
      "(D)",
      "(E)",
      "(F)",
      "(G)",
      "(H ",
    ]);
    expect(header[9]).toMatch(/préfectoral/);
    // ICF: H = 300 − 40 = 260; SICF 15 % → 39; ALS contingent on Vilogia 12,5 % of H = 520 − 40 = 480 → 60.
    const icfLine = lines[1]!.split(";");
    expect(icfLine[0]).toBe("ICF Habitat Nord-Est");
    expect(icfLine[8]).toBe("260");
    const vilogiaLine = lines[2]!.split(";");
    expect(vilogiaLine[8]).toBe("480");
    const alsIndex = header.findIndex(
      (h) => h.includes("Contingent Action Logement") && h.includes("arrondi"),
    );
    expect(vilogiaLine[alsIndex]).toBe("60");
    const sicfIndex = header.findIndex((h) => h.includes("SICF") && h.includes("arrondi"));
    expect(icfLine[sicfIndex]).toBe("39");
    expect(lines[3]!.startsWith("TOTAL;")).toBe(true);
    expect(lines[3]!.split(";")[8]).toBe("740");

    const xlsx = await etat.raw(xlsxLoader, `${path}/export.xlsx`, params);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe("Bailleur");
    // The État reads every bailleur (those without forecast too), Annex 1's first is Habitat du Nord.
    expect(sheet.getRow(2).getCell(1).value).toBe("Habitat du Nord");
    const commune = await browserOf(await createUser("commune-59350", ["admin"]));
    expect((await commune.get(csvLoader, `${path}/export.csv`, params)).status).toBe(403);
  });
});
