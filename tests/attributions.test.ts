import { and, count, eq, gt, max } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { attributionReads, attributions, auditLog, negotiatedRates } from "#db/schema";
import { asSubject } from "#policies/ability";
import { openApiDocument } from "~/api/openapi";
import { attributionPolicyRow } from "~/domain/attribution";
import { ATTRIBUTION_COLUMNS, MAX_IMPORT_BYTES } from "~/lib/attribution-schemas";
import { attributionTemplateCsv, attributionTemplateXlsx } from "~/models/attribution-import.server";
import { listAttributions } from "~/models/attributions.server";
import { metropolitanBilan } from "~/models/metropolitan-bilan.server";
import { action as batchAction, loader as listLoader } from "~/routes/api.v1.attributions";
import { action as importAction } from "~/routes/api.v1.attributions.import";
import { loader as indicatorsApi } from "~/routes/api.v1.reports.indicators";
import { attributionInput } from "./helpers/attributions";
import {
  actorOf,
  createToken,
  createUser,
  organisation,
  requestWithBearer,
  type TestUser,
} from "./helpers/fixtures";

type Caller = TestUser & { token: string };
// biome-ignore lint/suspicious/noExplicitAny: API answers are read as loose JSON in assertions.
type Json = Record<string, any>;
async function caller(slug: string, roles: TestUser["roles"]): Promise<Caller> {
  const user = await createUser(slug, roles);
  return { ...user, token: (await createToken(user)).token };
}

async function call(
  who: Caller,
  handler: (args: never) => Promise<Response>,
  path: string,
  init: RequestInit = {},
) {
  const response = await handler({
    request: requestWithBearer(who.token, `/api/v1${path}`, init),
    params: {},
    context: {},
  } as never);
  return { status: response.status, body: (await response.json()) as Json };
}
const post = (who: Caller, rows: unknown[]) =>
  call(who, batchAction, "/attributions", {
    method: "POST",
    body: JSON.stringify({ attributions: rows }),
    headers: { "content-type": "application/json" },
  });
const upload = (who: Caller, body: BodyInit, headers: Record<string, string> = {}) =>
  call(who, importAction, "/attributions/import", {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);
const list = (who: Caller, query = "") => call(who, listLoader, `/attributions${query}`);
const total = async () => Number((await db.select({ n: count() }).from(attributions))[0]!.n);

let vilogia: Caller;
let vilogiaLecteur: Caller;
let partenord: Caller;
let lille: Caller;
let roubaix: Caller;
let etat: Caller;
let als: Caller;
let urh: Caller;
let mel: Caller;

let serial = 0;
/** A valid attribution of Vilogia in Lille on the MEL contingent, with a fresh numéro unique. */
const row = attributionInput;

beforeAll(async () => {
  vilogia = await caller("vilogia", ["gestionnaire"]);
  vilogiaLecteur = await caller("vilogia", ["lecteur"]);
  partenord = await caller("partenord-habitat", ["signataire"]);
  lille = await caller("commune-59350", ["lecteur"]);
  roubaix = await caller("commune-59512", ["gestionnaire"]);
  etat = await caller("etat", ["lecteur"]);
  als = await caller("action-logement", ["lecteur"]);
  urh = await caller("urh", ["admin"]);
  mel = await caller("mel", ["lecteur"]);
  // ALS negotiated 10 % with Vilogia: it holds a contingent there (contingentPairs).
  await db.insert(negotiatedRates).values({
    reservataireId: (await organisation("action-logement")).id,
    bailleurId: (await organisation("vilogia")).id,
    year: 2025,
    rateBp: 1000,
  });
  // Roubaix guarantees Vilogia's loans: its share of the MEL's 20 % opens a commune contingent (004 l.178).
  await db.insert(negotiatedRates).values({
    reservataireId: (await organisation("commune-59512")).id,
    bailleurId: (await organisation("vilogia")).id,
    year: 2025,
    rateBp: 500,
  });
});

describe("POST /api/v1/attributions: a batch, all or nothing, idempotent on (bailleur, numéro unique, lease date)", () => {
  const batch = [
    row(),
    row({ contingent: "etat", publicCategory: "npru", communeInsee: "59512" }),
    row({ transfer: "internal" }),
    row({ contingent: "commune", communeInsee: "59512" }),
    row({ contingent: "action_logement", transfer: "inter_bailleur" }),
  ];

  it("records each row with the réservataire it counts on and whether it consumes rights, and audits the batch", async () => {
    const before = await total();
    const first = await post(vilogia, batch);
    expect(first).toEqual({ status: 201, body: { received: 5, created: 5, alreadyKnown: 0 } });
    expect((await total()) - before).toBe(5);
    const stored = await db
      .select()
      .from(attributions)
      .where(eq(attributions.bailleurId, vilogia.organisationId));
    const byNumero = (n: string) => stored.find((s) => s.numeroUnique === n.replaceAll(" ", ""))!;
    expect(byNumero(batch[0]!.numeroUnique)).toMatchObject({
      reservataireId: (await organisation("mel")).id,
      countsOnRights: true,
      createdBy: vilogia.id,
    });
    // NPRU rehousing typed on the État contingent: outside the flux, recorded on none (issue 15).
    expect(byNumero(batch[1]!.numeroUnique)).toMatchObject({
      contingent: "none",
      reservataireId: null,
      countsOnRights: false,
    });
    expect(byNumero(batch[2]!.numeroUnique).countsOnRights).toBe(false);
    expect(byNumero(batch[3]!.numeroUnique).reservataireId).toBe((await organisation("commune-59512")).id);
    expect(byNumero(batch[4]!.numeroUnique)).toMatchObject({
      reservataireId: (await organisation("action-logement")).id,
      countsOnRights: true,
    });
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "attribution.api"), eq(auditLog.actorUserId, vilogia.id)));
    expect(audits.map((a) => a.after)).toEqual([{ received: 5, created: 5, alreadyKnown: 0 }]);
  });

  it("changes nothing when the same batch comes again, and says so", async () => {
    const before = await total();
    expect(await post(vilogia, batch)).toEqual({
      status: 200,
      body: { received: 5, created: 0, alreadyKnown: 5 },
    });
    expect(await total()).toBe(before);
  });

  it("rejects the whole batch, naming each invalid row and field in French, and writes nothing", async () => {
    const before = await total();
    const response = await post(vilogia, [
      row(),
      row({ communeInsee: "59999" }),
      row({ bailleurSlug: "habitat-inconnu" }),
      row({ contingent: "sicf" }),
      row({ contingent: "departement" }),
      row({ leaseDate: "2099-01-01" }),
      row({ bailleurSlug: "partenord-habitat", contingent: "etat" }),
      row({ typology: "T9", numeroUnique: "12" }),
    ]);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/rien n'a été enregistré/);
    expect(response.body.errors.map((e: { index: number; field: string }) => [e.index, e.field])).toEqual([
      [1, "communeInsee"],
      [2, "bailleurSlug"],
      [3, "contingent"],
      [4, "contingent"],
      [5, "leaseDate"],
      [6, "bailleurSlug"],
      [7, "numeroUnique"],
      [7, "typology"],
    ]);
    const messages = response.body.errors.map((e: { message: string }) => e.message);
    expect(messages[0]).toMatch(/Commune 59999 inconnue/);
    expect(messages[2]).toMatch(/La SICF ne réserve que chez ICF Habitat Nord-Est/);
    expect(messages[3]).toMatch(/n'a pas de convention ouvrant un contingent « Département »/);
    expect(messages[4]).toMatch(/Date du bail dans le futur/);
    expect(await total()).toBe(before);
  });

  it("refuses the MEL contingent on Partenord Habitat", async () => {
    const response = await post(partenord, [row({ bailleurSlug: "partenord-habitat" })]);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        index: 0,
        field: "contingent",
        message: expect.stringMatching(/La MEL n'a pas de contingent chez Partenord/),
      },
    ]);
  });

  it("refuses the same lease twice in one batch (one attribution counts once, 004 art. 7)", async () => {
    const twice = row();
    const response = await post(vilogia, [twice, row(), twice]);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { index: 2, field: "numeroUnique", message: expect.stringMatching(/en double.*l'attribution n° 0/) },
    ]);
  });

  it("flags one household leased on one date by two bailleurs to the MEL and both, and counts it once", async () => {
    const lmh = await caller("lille-metropole-habitat", ["gestionnaire"]);
    const household = { numeroUnique: "059240100100A", leaseDate: "2025-06-15" };
    // The indicators and the CIL bilan count it once, as consumption does.
    const counts = async () => ({
      indicators: (await call(mel, indicatorsApi, "/reports/indicators?year=2025")).body.byContingent.reduce(
        (sum: number, r: Json) => sum + r.total,
        0,
      ),
      cilBilan: (await metropolitanBilan(await actorOf(mel), 2025))
        .filter((c) => c.dimension === "qpv")
        .reduce((sum, c) => sum + c.n, 0),
    });
    const before = await counts();
    expect((await post(vilogia, [row(household)])).status).toBe(201);
    expect((await post(lmh, [row({ ...household, bailleurSlug: "lille-metropole-habitat" })])).status).toBe(
      201,
    );
    const stored = await db
      .select()
      .from(attributions)
      .where(eq(attributions.numeroUnique, household.numeroUnique));
    expect(stored.map((s) => s.duplicate)).toEqual([true, true]);
    expect(stored.filter((s) => s.countsOnRights).map((s) => s.bailleurId)).toEqual([vilogia.organisationId]);
    const flagged = async (who: Caller) =>
      (await list(who, "?numeroUnique=059240100100A")).body.attributions.map(
        (a: Json) => [a.bailleur.slug, a.duplicate, a.countsOnRights] as const,
      );
    expect(await flagged(vilogia)).toEqual([["vilogia", true, true]]);
    expect(await flagged(lmh)).toEqual([["lille-metropole-habitat", true, false]]);
    expect((await flagged(mel)).length).toBe(2);
    expect(await counts()).toEqual({ indicators: before.indicators + 1, cilBilan: before.cilBilan + 1 });
    // Another household, or the same one on another date, is no duplicate.
    expect(
      (
        await post(lmh, [
          row({ ...household, leaseDate: "2025-06-16", bailleurSlug: "lille-metropole-habitat" }),
        ])
      ).status,
    ).toBe(201);
    const [other] = await db
      .select()
      .from(attributions)
      .where(
        and(eq(attributions.numeroUnique, household.numeroUnique), eq(attributions.leaseDate, "2025-06-16")),
      );
    expect(other!.duplicate).toBe(false);
  });

  it("refuses an MBC household without a transfer, and records ORCOD, LHI and sale rehousings without rights", async () => {
    const mbc = await post(vilogia, [row({ publicCategory: "mbc_labellise" })]);
    expect(mbc.status).toBe(400);
    expect(mbc.body.errors[0]).toMatchObject({ field: "transfer", message: expect.stringMatching(/MBC/) });
    const rehoused = ["orcod", "lhi", "sale"].map((rehousing) => row({ rehousing }));
    expect((await post(vilogia, rehoused)).status).toBe(201);
    const stored = await db
      .select()
      .from(attributions)
      .where(eq(attributions.numeroUnique, rehoused[0]!.numeroUnique.replaceAll(" ", "")));
    expect(stored[0]).toMatchObject({ rehousing: "orcod", contingent: "none", countsOnRights: false });
  });

  it("lets only a bailleur's gestionnaire, signataire or admin record", async () => {
    expect((await post(vilogiaLecteur, [row()])).status).toBe(403);
    expect((await post(roubaix, [row()])).status).toBe(403);
    expect((await post(mel, [row()])).status).toBe(403);
  });

  it("answers 400 in French for a body that is not a list", async () => {
    const response = await call(vilogia, batchAction, "/attributions", { method: "POST", body: "{}" });
    expect(response.status).toBe(400);
    expect(response.body.errors.attributions).toMatch(/une liste d'attributions/);
  });
});

/** A file from the template's columns, one line per row (values as a bailleur's software writes them). */
function csv(rows: Array<Record<string, string>>, delimiter = ";") {
  const header = ATTRIBUTION_COLUMNS.map((c) => c.header).join(delimiter);
  return [
    header,
    ...rows.map((r) => ATTRIBUTION_COLUMNS.map((c) => r[c.field] ?? c.example).join(delimiter)),
  ].join("\r\n");
}
const fileRow = (over: Record<string, string> = {}) => ({
  numeroUnique: `059 2402 ${String(20000 + ++serial)} B`,
  ...over,
});

describe("import of a file from the template (CSV ; or , in UTF-8 or Windows-1252, XLSX)", () => {
  it("imports a UTF-8 CSV with `;`, and a re-import changes nothing", async () => {
    const file = csv([fileRow(), fileRow({ publicCategory: "DALO labellisé", leaseDate: "2025-02-01" })]);
    const before = await total();
    expect(await upload(vilogia, `\uFEFF${file}`)).toEqual({
      status: 201,
      body: { received: 2, created: 2, alreadyKnown: 0 },
    });
    expect(await upload(vilogia, `\uFEFF${file}`)).toEqual({
      status: 200,
      body: { received: 2, created: 0, alreadyKnown: 2 },
    });
    expect((await total()) - before).toBe(2);
  });

  it("imports a Windows-1252 CSV with `,` (accents in headers and values read right)", async () => {
    const numero = fileRow().numeroUnique;
    const text = csv(
      [{ numeroUnique: numero, publicCategory: "PDALHPD labellisé", constructionPeriod: "1949 à 1974" }],
      ",",
    );
    const bytes = Buffer.from(text, "latin1");
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    expect((await upload(vilogia, bytes)).body).toEqual({ received: 1, created: 1, alreadyKnown: 0 });
    const listed = await list(vilogia, `?numeroUnique=${encodeURIComponent(numero)}`);
    expect(listed.body.attributions).toEqual([
      expect.objectContaining({ publicCategory: "pdalhpd_labellise", constructionPeriod: "1949_1974" }),
    ]);
  });

  it("imports an XLSX workbook (date cells, number cells) and the downloadable templates parse back", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Attributions");
    sheet.addRow(ATTRIBUTION_COLUMNS.map((c) => c.header));
    const numero = fileRow().numeroUnique;
    sheet.addRow(
      ATTRIBUTION_COLUMNS.map((c) =>
        c.field === "numeroUnique"
          ? numero
          : c.field === "leaseDate"
            ? new Date(Date.UTC(2025, 4, 20))
            : c.field === "communeInsee"
              ? 59512
              : c.example,
      ),
    );
    const bytes = new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
    expect((await upload(vilogia, bytes)).body).toEqual({ received: 1, created: 1, alreadyKnown: 0 });
    const listed = await list(vilogia, `?numeroUnique=${encodeURIComponent(numero)}`);
    expect(listed.body.attributions[0]).toMatchObject({ leaseDate: "2025-05-20", communeInsee: "59512" });

    // The templates' example row is a valid attribution for any bailleur with a MEL contingent.
    const fromCsv = await upload(vilogia, attributionTemplateCsv());
    expect(fromCsv.body).toMatchObject({ received: 1 });
    expect(await upload(vilogia, await attributionTemplateXlsx())).toEqual({
      status: 200,
      body: { received: 1, created: 0, alreadyKnown: 1 },
    });
  });

  it("rejects a file with invalid rows as « ligne N, colonne X : … » and imports none of it", async () => {
    const before = await total();
    const response = await upload(
      vilogia,
      csv([
        fileRow(),
        fileRow({ contingent: "sicf" }),
        fileRow({ communeInsee: "59000", leaseDate: "01/01/2099" }),
      ]),
    );
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringMatching(
        /^ligne 3, colonne « Contingent » : La SICF ne réserve que chez ICF Habitat Nord-Est/,
      ),
      expect.stringMatching(/^ligne 4, colonne « Code INSEE de la commune » : Commune 59000 inconnue/),
      expect.stringMatching(
        /^ligne 4, colonne « Date du bail » : Date du bail dans le futur \(01\/01\/2099\)/,
      ),
    ]);
    expect(response.body.errors[0]).toMatchObject({ line: 3, column: "Contingent", field: "contingent" });
    expect(await total()).toBe(before);
  });

  it("names the missing columns", async () => {
    const response = await upload(
      vilogia,
      "Numéro unique;Date du bail;Typologie\n059240100001A;01/01/2025;T2\n",
    );
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/^Colonnes manquantes : « Code INSEE de la commune », « En QPV »/);
    expect(response.body.message).toMatch(/« Contingent »/);
  });

  it("refuses a 50 MB file with 413 and a French message, whether its length is announced or not", async () => {
    const big = new Uint8Array(50 * 1024 * 1024).fill(0x41);
    const announced = await upload(vilogia, big, { "content-length": String(big.byteLength) });
    expect(announced.status).toBe(413);
    expect(announced.body.message).toMatch(/Fichier trop volumineux : 20 Mo au plus/);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new Uint8Array(MAX_IMPORT_BYTES / 2).fill(0x41));
        controller.close();
      },
    });
    expect((await upload(vilogia, stream)).status).toBe(413);
  });

  it("refuses an empty file and an unreadable workbook in French", async () => {
    expect((await upload(vilogia, "")).body.message).toMatch(/Le fichier est vide/);
    const broken = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
    expect((await upload(vilogia, broken)).body.message).toMatch(/Classeur XLSX illisible/);
  });
});

describe("GET /api/v1/attributions: each reads only what DESIGN §4 lets it read", () => {
  beforeAll(async () => {
    await post(vilogia, [
      row({ communeInsee: "59512", leaseDate: "2024-11-05" }),
      row({ communeInsee: "59512", contingent: "etat", leaseDate: "2024-11-06" }),
    ]);
  });

  const all = async (who: Caller, query = "") => {
    const rows: Json[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await list(who, `?${query}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      rows.push(...page.body.attributions);
      cursor = page.body.nextCursor;
    }
    return rows;
  };

  it("gives a bailleur its own rows, a réservataire its contingent's, a commune its territory on the MEL contingent", async () => {
    const stored = await db.select().from(attributions);
    expect(stored.length).toBeGreaterThan(5);
    expect((await all(vilogia)).length).toBe(
      stored.filter((s) => s.bailleurId === vilogia.organisationId).length,
    );
    expect((await all(partenord)).length).toBe(0);
    expect((await all(mel)).length).toBe(stored.length);
    expect((await all(etat)).length).toBe(stored.length);
    const alsRows = await all(als);
    expect(alsRows.length).toBeGreaterThan(0);
    expect(alsRows.every((r) => r.reservataire?.slug === "action-logement")).toBe(true);
    const roubaixRows = await all(roubaix);
    expect(roubaixRows.length).toBeGreaterThan(0);
    expect(
      roubaixRows.every(
        (r) =>
          r.communeInsee === "59512" && (r.contingent === "mel" || r.reservataire?.slug === "commune-59512"),
      ),
    ).toBe(true);
    expect((await all(lille)).every((r) => r.communeInsee === "59350" && r.contingent === "mel")).toBe(true);
    expect((await list(urh)).status).toBe(403);
  });

  it("agrees with the policy on every row it returns", async () => {
    const orgs = new Map<string, string>();
    for (const slug of ["commune-59350", "commune-59512"]) orgs.set(slug, (await organisation(slug)).id);
    const communeOf = new Map([
      ["59350", orgs.get("commune-59350")!],
      ["59512", orgs.get("commune-59512")!],
    ]);
    for (const who of [roubaix, lille, als]) {
      const { defineAbilityFor } = await import("#policies/ability");
      const ability = defineAbilityFor({
        userId: who.id,
        organisationId: who.organisationId,
        kind: who.organisationSlug === "action-logement" ? "action_logement" : "commune",
        roles: who.roles,
      });
      const stored = await db.select().from(attributions);
      const readable = stored.filter((s) =>
        ability.can(
          "read",
          asSubject(
            "Attribution",
            attributionPolicyRow({ ...s, communeOrganisationId: communeOf.get(s.communeInsee) ?? null }),
          ),
        ),
      );
      expect((await all(who)).map((r) => r.id).sort()).toEqual(readable.map((r) => r.id).sort());
    }
  });

  it("logs who read each attribution shown, for which organisation, and how", async () => {
    const [last] = await db.select({ id: max(attributionReads.id) }).from(attributionReads);
    const page = await list(vilogia, "?year=2024");
    const shown = (page.body.attributions as Json[]).map((r) => r.id as string);
    expect(shown.length).toBeGreaterThan(0);
    const reads = await db
      .select()
      .from(attributionReads)
      .where(gt(attributionReads.id, last?.id ?? 0));
    expect(reads.map((r) => r.attributionId).sort()).toEqual([...shown].sort());
    expect(
      reads.every(
        (r) => r.userId === vilogia.id && r.organisationId === vilogia.organisationId && r.via === "api",
      ),
    ).toBe(true);
    // A refused read logs nothing.
    const before = await db.select({ n: count() }).from(attributionReads);
    expect((await list(urh)).status).toBe(403);
    expect(await db.select({ n: count() }).from(attributionReads)).toEqual(before);
  });

  it("filters by year, commune and contingent, and pages with a cursor", async () => {
    const year = await all(vilogia, "year=2024");
    expect(year.length).toBe(2);
    expect(year.map((r) => r.leaseDate)).toEqual(["2024-11-06", "2024-11-05"]);
    expect((await all(mel, "contingent=etat&commune=59512")).every((r) => r.contingent === "etat")).toBe(
      true,
    );
    expect((await list(vilogia, "?year=deux")).status).toBe(400);
    expect((await list(vilogia, "?cursor=abc")).status).toBe(400);
  });
  it("pages a commune's two kinds of rows (its contingent, the MEL's on its territory) as one list, newest first", async () => {
    // Read apart (an OR of the two walked the whole country by date): merged, each row once, in the list's order.
    await post(vilogia, [
      row({ communeInsee: "59512", contingent: "commune", leaseDate: "2025-03-03" }),
      row({ communeInsee: "59512", contingent: "mel", leaseDate: "2025-03-03" }),
      row({ communeInsee: "59512", contingent: "commune", leaseDate: "2025-03-02" }),
    ]);
    const actor = await actorOf(roubaix);
    const whole = (await listAttributions(actor, {}, { via: "api" })).attributions;
    const kinds = new Set(
      whole.map((r) => (r.reservataire?.slug === "commune-59512" ? "own" : r.contingent)),
    );
    expect(kinds).toEqual(new Set(["own", "mel"]));
    const newestFirst = [...whole].sort(
      (a, b) => b.leaseDate.localeCompare(a.leaseDate) || (a.id < b.id ? 1 : -1),
    );
    expect(whole.map((r) => r.id)).toEqual(newestFirst.map((r) => r.id));
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAttributions(actor, { cursor }, { via: "api", limit: 1 });
      paged.push(...page.attributions.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(whole.map((r) => r.id));
  });
});

describe("the OpenAPI document", () => {
  it("describes the batch, the list and the import, with the rejection's error list", () => {
    const paths = openApiDocument.paths as Record<
      string,
      Record<string, { responses: Record<string, unknown> }>
    >;
    expect(Object.keys(paths["/attributions"]!).sort()).toEqual(["get", "post"]);
    expect(Object.keys(paths["/attributions/import"]!.post!.responses).sort()).toEqual([
      "200",
      "201",
      "400",
      "401",
      "403",
      "413",
    ]);
  });
});
