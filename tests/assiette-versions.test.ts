import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { assietteVersionRows, auditLog, avenants, emailOutbox } from "#db/schema";
import { openApiDocument } from "~/api/openapi";
import { assietteVersionsOf, versionInForce } from "~/models/assiette.server";
import { sendAvenant } from "~/models/avenants.server";
import { action as pageAction, loader as pageLoader } from "~/routes/_app.assiette.$year";
import { loader as bilansPage } from "~/routes/_app.bilans";
import { loader as indicatorsPage } from "~/routes/_app.indicateurs";
import { loader as assietteLoader } from "~/routes/api.v1.assiettes.$year";
import { action as publishAction } from "~/routes/api.v1.assiettes.$year.publish";
import { action as rectifyAction } from "~/routes/api.v1.assiettes.$year.rectify";
import { loader as versionsLoader } from "~/routes/api.v1.assiettes.$year.versions";
import { loader as avenantsLoader } from "~/routes/api.v1.avenants";
import { action as generateAction } from "~/routes/api.v1.avenants.generate";
import { action as forecastAction } from "~/routes/api.v1.forecasts.$year";
import { loader as consumptionApi } from "~/routes/api.v1.reports.consumption";
import { loader as indicatorsApi } from "~/routes/api.v1.reports.indicators";
import { loader as csvLoader } from "~/routes/assiette.$year.export[.csv]";
import { loader as pdfLoader } from "~/routes/avenants.$id.courrier[.pdf]";
import { loader as bilanXlsx } from "~/routes/bilans.export[.xlsx]";
import { loader as indicatorsCsv } from "~/routes/indicateurs.export[.csv]";
import { apiOf, browserOf } from "./helpers/cycle";
import { actorOf, BASE_URL, createUser, organisation } from "./helpers/fixtures";
import { ASSIETTE_2023 } from "./helpers/worked-example";

/**
 * A published assiette is frozen (DESIGN §3): the worked example of the MEL deliberation of 15 Dec 2023 (assiette
 * 6 790, of which 1 121 for the MEL; tests/helpers/worked-example.ts) reached through a rectificatif. Version 1 lacks CDC Habitat (its forecast comes after the publication) and carries
 * a typo on Vilogia (C = 50 instead of 100, H = 1 450); version 2 adds CDC Habitat and the État's correction.
 */
const YEAR = 2023;
const params = { year: String(YEAR) };
// The deliberation's split, with CDC Habitat in Norévie's place: CDC Habitat is the late bailleur.
const { norevie: _, ...others } = ASSIETTE_2023;
const H: Record<string, number> = { ...others, "cdc-habitat": 300 };
/** A forecast whose H is `h`: C takes 100 out (50 on Vilogia's first, mistyped, forecast). */
const forecastFor = (h: number, c = 100) => ({ a: h + c, b: 10, c, d: 0, e: 0, f: 0, g: 0 });

type Api = Awaited<ReturnType<typeof apiOf>>;
type Json = Record<string, unknown>;
type Row = { bailleur: { slug: string }; h: number | null; status: string; rights: Record<string, Json> };
const api: Record<string, Api> = {};

const putForecast = (who: string, body: unknown) =>
  api[who]!.call(forecastAction as never, `/api/v1/forecasts/${YEAR}`, { method: "PUT", body, params });
const getAssiette = (who: string, query = "") =>
  api[who]!.call(assietteLoader as never, `/api/v1/assiettes/${YEAR}${query}`, { params });
const getVersions = (who: string) =>
  api[who]!.call(versionsLoader as never, `/api/v1/assiettes/${YEAR}/versions`, { params });
const rectify = (who: string, body: unknown) =>
  api[who]!.call(rectifyAction as never, `/api/v1/assiettes/${YEAR}/rectify`, {
    method: "POST",
    body,
    params,
  });
const rowsOf = (body: Json) => body.rows as Row[];
const total = (rows: Row[], pick: (r: Row) => number | null) =>
  rows.reduce((sum, r) => sum + (pick(r) ?? 0), 0);
const melLetters = async () =>
  (
    (await api.mel!.call(avenantsLoader as never, `/api/v1/avenants?year=${YEAR}`)).body as unknown as Json[]
  ).map((l) => l as Json & { id: string; bailleur: { name: string }; status: string });

beforeAll(async () => {
  for (const [who, slug, roles] of [
    ["etat", "etat", ["signataire"]],
    ["mel", "mel", ["signataire", "gestionnaire"]],
    ["als", "action-logement", ["lecteur"]],
    ["commune", "commune-59350", ["admin", "gestionnaire"]],
    ["norevie", "norevie", ["gestionnaire"]],
    ...Object.keys(H).map((slug) => [slug, slug, ["gestionnaire"]]),
  ] as Array<[string, string, Parameters<typeof createUser>[1]]>)
    api[who] = await apiOf(await createUser(slug, roles));
  await createUser("cdc-habitat", ["signataire"]);
  for (const slug of Object.keys(H).filter((s) => s !== "cdc-habitat"))
    expect(
      (await putForecast(slug, slug === "vilogia" ? forecastFor(1450, 50) : forecastFor(H[slug]!))).status,
    ).toBe(200);
});

describe("before the publication", () => {
  it("shows a draft row as a draft, with no rights", async () => {
    expect((await putForecast("norevie", { ...forecastFor(250), submit: false })).status).toBe(200);
    const norevie = rowsOf((await getAssiette("etat")).body).find((r) => r.bailleur.slug === "norevie")!;
    expect(norevie.status).toBe("draft");
    expect(norevie.h).toBe(250);
    expect(norevie.rights.mel).toEqual({ rateBp: 2000, exact: null, rounded: null });
  });
});

describe("a rectificatif through the worked example of 2023", () => {
  let version1: Json;

  it("freezes version 1 at the publication: only submitted rows, with their rights", async () => {
    const published = await api.etat!.call(publishAction as never, `/api/v1/assiettes/${YEAR}/publish`, {
      method: "POST",
      body: { confirmIncomplete: true },
      params,
    });
    expect(published.status).toBe(200);
    expect(published.body.version).toBe(1);
    const { body } = await getAssiette("als");
    expect(body).toMatchObject({ version: 1, latestVersion: 1, reason: null });
    expect(body.versionLabel).toMatch(/^assiette de référence 2023, version 1 \(publiée le /);
    const rows = rowsOf(body);
    expect(rows.map((r) => r.bailleur.slug)).not.toContain("cdc-habitat");
    expect(rows.map((r) => r.bailleur.slug)).not.toContain("norevie");
    expect(total(rows, (r) => r.h)).toBe(6540);
    expect(total(rows, (r) => r.rights.mel!.rounded as number)).toBe(1071);
    version1 = body;
  });

  it("lets the MEL draft and send its letters from version 1, which they name", async () => {
    const generated = await api.mel!.call(generateAction as never, "/api/v1/avenants/generate", {
      method: "POST",
      body: { year: YEAR },
    });
    expect(generated.status).toBe(200);
    const letters = await melLetters();
    // Every bailleur of version 1 but Partenord Habitat (no MEL contingent, 004 l.176).
    expect(letters).toHaveLength(7);
    expect(letters.every((l) => l.assietteVersion === 1 && l.replacedBy === null)).toBe(true);
    const vilogia = letters.find((l) => l.bailleur.name === "Vilogia")!;
    expect(vilogia).toMatchObject({ fluxH: 1450, rights: { exact: 290, rounded: 290 } });
    const who = await actorOf(api.mel!.user);
    for (const l of letters.filter((l) => ["Vilogia", "Lille Métropole Habitat"].includes(l.bailleur.name)))
      await sendAvenant(who, {
        id: l.id,
        baseUrl: BASE_URL,
        now: new Date("2023-03-06T09:00:00Z"),
      });
  });

  it("takes a late forecast into the next version (202), the État's correction too; version 1 does not move", async () => {
    const late = await putForecast("cdc-habitat", forecastFor(H["cdc-habitat"]!));
    expect(late.status).toBe(202);
    expect(late.body).toMatchObject({ status: "submitted", h: 300, pendingVersion: 2 });
    expect(late.body.message).toMatch(/sera publiée dans le rectificatif \(version 2\)/);
    // A second submission by the bailleur is still refused: only the État corrects a submitted forecast.
    expect((await putForecast("cdc-habitat", forecastFor(1))).status).toBe(409);
    // A draft saved after the publication waits for nothing: it gives no rights.
    const draft = await putForecast("norevie", { ...forecastFor(260), submit: false });
    expect(draft.status).toBe(200);
    expect(draft.body.pendingVersion).toBeNull();

    const etat = await browserOf(api.etat!.user);
    const vilogia = await organisation("vilogia");
    const corrected = await etat.post(
      pageAction,
      `/assiette/${YEAR}`,
      {
        intent: "correct",
        bailleurId: vilogia.id,
        a: "1500",
        b: "10",
        c: "100",
        d: "0",
        e: "0",
        f: "0",
        g: "0",
      },
      params,
    );
    expect(corrected.body).toMatchObject({ ok: true });
    expect(corrected.body.message).toMatch(/rectificatif \(version 2\)/);

    expect((await getAssiette("als")).body).toEqual(version1);
    expect((await getAssiette("als", "?version=1")).body).toEqual(version1);
    await expect(
      db.update(assietteVersionRows).set({ a: 1 }).where(eq(assietteVersionRows.year, YEAR)),
    ).rejects.toThrow();
  });

  it("shows the État the pending changes, old → new, and nobody else", async () => {
    const { body } = await getVersions("etat");
    expect(body.versions).toHaveLength(1);
    const pending = body.pending as {
      version: number;
      changes: Array<Json & { bailleur: { slug: string } }>;
    };
    expect(pending.version).toBe(2);
    const bySlug = Object.fromEntries(pending.changes.map((c) => [c.bailleur.slug, c]));
    expect(Object.keys(bySlug).sort()).toEqual(["cdc-habitat", "vilogia"]);
    expect(bySlug["cdc-habitat"]!.kind).toBe("added");
    expect(bySlug.vilogia).toMatchObject({
      kind: "changed",
      columns: [
        { column: "c", before: 50, after: 100 },
        { column: "h", before: 1450, after: 1400 },
      ],
    });
    expect((await getVersions("mel")).body.pending).toBeUndefined();
    expect((await getVersions("vilogia")).body.pending).toBeUndefined();
    const page = await (await browserOf(api.etat!.user)).get(pageLoader, `/assiette/${YEAR}`, params);
    expect((page.body.versions as Json).pending).toMatchObject({ version: 2 });
  });

  it("lets only the État publish the rectificatif, with a reason", async () => {
    for (const who of ["mel", "vilogia", "als"])
      expect((await rectify(who, { reason: "Prévision tardive de CDC Habitat." })).status, who).toBe(403);
    expect((await rectify("commune", { reason: "Prévision tardive de CDC Habitat." })).status).toBe(403);
    const noReason = await rectify("etat", {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.message).toMatch(/motif du rectificatif/);
    expect((await rectify("etat", { reason: "court" })).status).toBe(400);
    // The page calls the same step: the same refusal, inline.
    const etat = await browserOf(api.etat!.user);
    const onPage = await etat.post(
      pageAction,
      `/assiette/${YEAR}`,
      { intent: "rectify", reason: " " },
      params,
    );
    expect(onPage.status).toBe(400);
    expect(onPage.body.message).toMatch(/motif du rectificatif/);
    expect((await getVersions("etat")).body.versions).toHaveLength(1);
  });

  it("publishes version 2: 6 790 and 1 121 for the MEL; every partner told; version 1 still readable", async () => {
    const outboxBefore = (await db.select().from(emailOutbox)).length;
    const done = await rectify("etat", {
      reason: "Prévision tardive de CDC Habitat ; colonne C de Vilogia corrigée.",
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ version: 2 });
    expect(done.body.label).toMatch(/^assiette de référence 2023, version 2 \(rectificatif du /);

    const v2 = (await getAssiette("als")).body;
    expect(v2).toMatchObject({ version: 2, latestVersion: 2, reason: expect.stringMatching(/CDC Habitat/) });
    expect(total(rowsOf(v2), (r) => r.h)).toBe(6790);
    expect(total(rowsOf(v2), (r) => r.rights.mel!.rounded as number)).toBe(1121);
    const partenord = rowsOf(v2).find((r) => r.bailleur.slug === "partenord-habitat")!;
    expect(partenord.rights.mel).toEqual({ rateBp: 0, exact: 0, rounded: 0 });
    expect(rowsOf(v2).map((r) => r.bailleur.slug)).not.toContain("norevie");
    // Version 1 reads as it did, but for the pointer to the latest version.
    expect((await getAssiette("als", "?version=1")).body).toEqual({ ...version1, latestVersion: 2 });
    expect((await getAssiette("als", "?version=3")).status).toBe(404);
    expect((await getAssiette("als", "?version=deux")).status).toBe(400);
    expect((await getAssiette("als", "?version=0")).status).toBe(400);

    const mails = (await db.select().from(emailOutbox)).slice(outboxBefore);
    const rectified = mails.filter((m) => m.subject.includes("rectificatif"));
    expect(rectified.some((m) => m.to.endsWith("@cdc-habitat.test"))).toBe(true);
    expect(rectified.some((m) => m.to.endsWith("@mel.test"))).toBe(true);
    expect(rectified[0]!.text).toMatch(/Motif : Prévision tardive de CDC Habitat/);
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, "assiette.rectify"));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(api.etat!.user.id);

    const versions = (await getVersions("vilogia")).body.versions as Json[];
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    // Nothing left to rectify.
    expect((await rectify("etat", { reason: "Encore une fois, pour voir." })).status).toBe(409);
  });

  it("replaces the letter whose rights change, keeps the others; a new letter for the late bailleur", async () => {
    const letters = await melLetters();
    const vilogia = letters.filter((l) => l.bailleur.name === "Vilogia");
    const old = vilogia.find((l) => l.status === "replaced")!;
    const next = vilogia.find((l) => l.status !== "replaced")!;
    expect(old).toMatchObject({ assietteVersion: 1, fluxH: 1450, replacedBy: next.id });
    expect(next).toMatchObject({ status: "draft", assietteVersion: 2, fluxH: 1400, replacedBy: null });
    expect(next.rights).toEqual({ exact: 280, rounded: 280 });
    const lmh = letters.filter((l) => l.bailleur.name === "Lille Métropole Habitat");
    expect(lmh).toEqual([expect.objectContaining({ status: "sent", assietteVersion: 1, replacedBy: null })]);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "avenant.replace"))).toHaveLength(1);

    // The late bailleur gets its letter from version 2; generating again creates nothing else.
    await api.mel!.call(generateAction as never, "/api/v1/avenants/generate", {
      method: "POST",
      body: { year: YEAR },
    });
    const after = await melLetters();
    expect(after).toHaveLength(letters.length + 1);
    expect(after.find((l) => l.bailleur.name === "CDC Habitat")).toMatchObject({
      assietteVersion: 2,
      fluxH: 300,
    });

    // Sending the new letter starts a new two-month period.
    const sent = await sendAvenant(await actorOf(api.mel!.user), {
      id: next.id,
      baseUrl: BASE_URL,
      now: new Date("2023-04-12T09:00:00Z"),
    });
    expect(sent.deadlineLastDay).toBe("2023-06-12");
    const [stillReplaced] = await db
      .select()
      .from(avenants)
      .where(and(eq(avenants.id, old.id)));
    expect(stillReplaced!.status).toBe("replaced");

    const mel = await browserOf(api.mel!.user);
    const pdf = await mel.raw(pdfLoader, `/avenants/${old.id}/courrier.pdf`, { id: old.id });
    expect(pdf.status).toBe(200);

    // Consumption counts the new letter's rights, not the replaced one's, and names the version of each.
    const consumption = (
      await api.mel!.call(consumptionApi as never, `/api/v1/reports/consumption?year=${YEAR}`)
    ).body as unknown as Array<Json & { bailleur: { name: string }; reservataire: { name: string } }>;
    const melRow = (name: string) =>
      consumption.find(
        (r) => r.bailleur.name === name && r.reservataire.name === "Métropole Européenne de Lille",
      );
    expect(melRow("Vilogia")).toMatchObject({ rights: 280, assietteVersion: 2 });
    expect(melRow("Lille Métropole Habitat")).toMatchObject({ rights: 250, assietteVersion: 1 });
  });

  it("lets a bailleur read its own row of each version only; exports name the version", async () => {
    const own = rowsOf((await getAssiette("vilogia", "?version=1")).body);
    expect(own.map((r) => r.bailleur.slug)).toEqual(["vilogia"]);
    expect(own[0]!.h).toBe(1450);
    expect(rowsOf((await getAssiette("vilogia")).body)[0]!.h).toBe(1400);

    const als = await browserOf(api.als!.user);
    const csv = await als.raw(csvLoader, `/assiette/${YEAR}/export.csv?version=1`, params);
    expect(csv.headers.get("content-disposition")).toContain("assiette-2023-v1.csv");
    const text = await csv.text();
    expect(text).toMatch(/Source : assiette de référence 2023, version 1 \(publiée le /);
    const v2 = await (await als.raw(csvLoader, `/assiette/${YEAR}/export.csv`, params)).text();
    expect(v2).toMatch(/version 2 \(rectificatif du .*Motif du rectificatif : Prévision tardive/);
  });
});

describe("reports built on the year's contingents", () => {
  it("name the version they come from: indicators (API, page, export) and bilans (board, files)", async () => {
    const indicators = (
      await api.mel!.call(indicatorsApi as never, `/api/v1/reports/indicators?year=${YEAR}`)
    ).body as Json;
    expect(indicators.assiette).toMatchObject({ version: 2 });
    expect(String((indicators.assiette as Json).versionLabel)).toMatch(/version 2 \(rectificatif du /);
    const mel = await browserOf(api.mel!.user);
    const page = await mel.get(indicatorsPage, `/indicateurs?year=${YEAR}`);
    expect((page.body.report as Json).assiette).toEqual(indicators.assiette);
    const csv = await (await mel.raw(indicatorsCsv, `/indicateurs/export.csv?year=${YEAR}`)).text();
    expect(csv).toContain("Contingents d'après l'assiette de référence 2023, version 2 (rectificatif du ");

    const vilogia = await browserOf(api.vilogia!.user);
    const board = await vilogia.get(bilansPage, `/bilans?year=${YEAR}`);
    expect((board.body.assiette as Json).version).toBe(2);
    const query = `?bailleur=${vilogia.user.organisationId}&reservataire=${api.mel!.user.organisationId}&year=${YEAR}`;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      await (await vilogia.raw(bilanXlsx, `/bilans/export.xlsx${query}`)).arrayBuffer(),
    );
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(sheet.rowCount).getCell(1).value).toMatch(
      /^Contingents d'après l'assiette de référence 2023, version 2 \(rectificatif du /,
    );
    // A bilan sent before the rectificatif keeps naming version 1 (its files ask at its sentAt).
    const [, v2] = (await assietteVersionsOf(await actorOf(api.etat!.user), YEAR)).versions;
    expect((await versionInForce(YEAR, new Date(v2!.publishedAt.getTime() - 1)))?.version).toBe(1);
  });
});

describe("OpenAPI", () => {
  it("describes the versions and the rectificatif", () => {
    const paths = Object.keys(openApiDocument.paths);
    expect(paths).toContain("/assiettes/{year}/versions");
    expect(paths).toContain("/assiettes/{year}/rectify");
  });
});
