import { and, count, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { attributions, auditLog, qpvs } from "#db/schema";
import { PUBLIC_CLASSES } from "~/domain/publics";
import type { Actor } from "~/lib/actor.server";
import { ATTRIBUTION_COLUMNS } from "~/lib/attribution-schemas";
import { asHttpError } from "~/lib/http.server";
import { metropolitanBilan, metropolitanBilanXlsx } from "~/models/metropolitan-bilan.server";
import { createQpv, importQpvFile, listQpvs, setQpvActive } from "~/models/qpv.server";
import { action as pageAction, loader as pageLoader } from "~/routes/_app.plateforme.quartiers";
import { action as batchAction } from "~/routes/api.v1.attributions";
import { action as importAction } from "~/routes/api.v1.attributions.import";
import { loader as qpvApi } from "~/routes/api.v1.qpv";
import { type ApiCaller, apiCaller, callApi } from "./helpers/api";
import { attributionInput } from "./helpers/attributions";
import { browserOf } from "./helpers/cycle";
import { actorOf, createUser } from "./helpers/fixtures";

/**
 * The MEL's referential of quartiers prioritaires and the CIL bilan by quartier (decision 0025). The codes and names
 * below are fictitious: the official list is the MEL's to load, none is shipped.
 */
const bytes = (text: string) => new TextEncoder().encode(text);
const OFFICIAL = [
  "code;nom;commune INSEE",
  "QZ59350A;Quartier Alpha (essai);59350",
  "QZ59350B;Quartier Bêta (essai);59350",
  "QZ59512A;Quartier Gamma (essai);59512",
].join("\r\n");

/** A refusal as its HTTP answer: status, message and per-field (or per-line) errors. */
async function refusal(work: Promise<unknown>) {
  try {
    await work;
  } catch (thrown) {
    const response = asHttpError(thrown) as Response;
    const body = (await response.json()) as { message: string; errors?: Record<string, string> };
    return { status: response.status, ...body };
  }
  throw new Error("expected a refusal");
}
const referentialSize = async () => Number((await db.select({ n: count() }).from(qpvs))[0]!.n);

let melGestionnaire: Actor;
let melLecteur: Actor;
let lilleLecteur: Actor;
let vilogia: ApiCaller;
let lilleApi: ApiCaller;

beforeAll(async () => {
  melGestionnaire = await actorOf(await createUser("mel", ["gestionnaire"]));
  melLecteur = await actorOf(await createUser("mel", ["lecteur"]));
  lilleLecteur = await actorOf(await createUser("commune-59350", ["lecteur"]));
  vilogia = await apiCaller("vilogia", ["gestionnaire"]);
  lilleApi = await apiCaller("commune-59350", ["lecteur"]);
});

describe("the referential: the MEL imports the official CSV, everyone reads it", () => {
  it("imports a good file, then a re-import updates the changed quartier only, with one audit row each", async () => {
    expect(await importQpvFile(melGestionnaire, bytes(`\uFEFF${OFFICIAL}`))).toEqual({
      received: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
    });
    const renamed = OFFICIAL.replace("Quartier Gamma (essai)", "Quartier Gamma-Sud (essai)").replaceAll(
      ";",
      ",",
    );
    expect(await importQpvFile(melGestionnaire, bytes(renamed))).toEqual({
      received: 3,
      created: 0,
      updated: 1,
      unchanged: 2,
    });
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "qpv.import"));
    expect(audits.map((a) => a.after)).toEqual([
      { received: 3, created: 3, updated: 0, unchanged: 0 },
      { received: 3, created: 0, updated: 1, unchanged: 2 },
    ]);
    // A commune reads the list (public names), by commune then name.
    expect((await listQpvs(lilleLecteur)).map((q) => `${q.code} ${q.name} ${q.communeName}`)).toEqual([
      "QZ59350A Quartier Alpha (essai) Lille",
      "QZ59350B Quartier Bêta (essai) Lille",
      "QZ59512A Quartier Gamma-Sud (essai) Roubaix",
    ]);
  });

  it("refuses a file with bad lines, naming each line, and writes nothing", async () => {
    const before = await referentialSize();
    const file = [
      "Code;Nom;Commune INSEE",
      "QZ59599A;Quartier Delta (essai);59599",
      "QZ-1;Quartier Epsilon (essai);59599",
      "QZ59599B;;59000",
      "qz59599a;Quartier Delta bis (essai);59599",
    ].join("\n");
    const refused = await refusal(importQpvFile(melGestionnaire, bytes(file)));
    expect(refused.status).toBe(400);
    expect(refused.message).toBe(
      "3 lignes sont refusées : rien n'a été importé. Corrigez le fichier et importez-le à nouveau en entier.",
    );
    expect(Object.keys(refused.errors ?? {})).toEqual(["ligne 3", "ligne 4", "ligne 5"]);
    expect(refused.errors?.["ligne 3"]).toMatch(/^ligne 3 : Code « QZ-1 » invalide/);
    expect(refused.errors?.["ligne 4"]).toMatch(/Nom du quartier manquant\. Commune 59000 inconnue/);
    expect(refused.errors?.["ligne 5"]).toMatch(/déjà présent ligne 2/);
    expect(await referentialSize()).toBe(before);
  });

  it("names a missing column, in French", async () => {
    const refused = await refusal(importQpvFile(melGestionnaire, bytes("code;nom du quartier\nQZ59350C;X")));
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/^Ligne 1 : colonne « commune INSEE » introuvable/);
  });

  it("lets only the MEL's gestionnaires and admins write, and keeps a deactivated quartier", async () => {
    expect((await refusal(importQpvFile(melLecteur, bytes(OFFICIAL)))).status).toBe(403);
    expect(
      (await refusal(createQpv(lilleLecteur, { code: "QZ59350Z", name: "X", communeInsee: "59350" }))).status,
    ).toBe(403);
    expect(
      (await refusal(createQpv(melGestionnaire, { code: "qz59350a", name: "X", communeInsee: "59350" })))
        .status,
    ).toBe(409);
    await createQpv(melGestionnaire, {
      code: "qz59599c",
      name: " Quartier Zêta (essai) ",
      communeInsee: "59599",
    });
    await setQpvActive(melGestionnaire, "QZ59599C", false);
    const [zeta] = await db.select().from(qpvs).where(eq(qpvs.code, "QZ59599C"));
    expect(zeta).toMatchObject({ name: "Quartier Zêta (essai)", active: false });
    expect((await listQpvs(lilleLecteur, { activeOnly: true })).map((q) => q.code)).not.toContain("QZ59599C");
    const writes = await db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.subjectId, "QZ59599C"));
    expect(writes.map((w) => w.action)).toEqual(["qpv.create", "qpv.deactivate"]);
  });

  it("GET /api/v1/qpv: the list, for any signed-in caller", async () => {
    const { status, body } = await callApi(lilleApi, qpvApi, { path: "/qpv" });
    expect(status).toBe(200);
    expect((body.quartiers as unknown as Array<{ code: string }>).map((q) => q.code)).toContain("QZ59512A");
  });
});

describe("the page /plateforme/quartiers", () => {
  it("shows the MEL's refusal line by line in French (400) and the summary; a commune reads without the forms", async () => {
    const mel = await browserOf(await createUser("mel", ["admin"]));
    const upload = (text: string) => {
      const form = new FormData();
      form.set("intent", "import");
      form.set("file", new File([text], "quartiers.csv", { type: "text/csv" }));
      return mel.post(pageAction, "/plateforme/quartiers", form);
    };
    const refused = await upload("code;nom;commune INSEE\nQZ59350Y;;59350");
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      ok: false,
      errors: { "ligne 2": "ligne 2 : Nom du quartier manquant." },
    });
    const imported = await upload("code,nom,commune INSEE\nQZ59350Y,Quartier Upsilon (essai),59350");
    expect(imported.body).toMatchObject({
      ok: true,
      message: "1 quartier importé, 0 mis à jour, 0 inchangé.",
    });
    const commune = await browserOf(await createUser("commune-59512", ["gestionnaire"]));
    const page = (await commune.get(pageLoader, "/plateforme/quartiers")).body as {
      canWrite: boolean;
      quartiers: Array<{ code: string }>;
    };
    expect(page.canWrite).toBe(false);
    expect(page.quartiers.map((q) => q.code)).toContain("QZ59350Y");
    const refusedToCommune = await commune.post(pageAction, "/plateforme/quartiers", {
      intent: "create",
      code: "QZ59512Y",
      name: "X",
      communeInsee: "59512",
    });
    expect(refusedToCommune.status).toBe(403);
  });
});

describe("an attribution names its quartier (form, API and file share the rule)", () => {
  const post = (rows: unknown[]) =>
    callApi(vilogia, batchAction, { path: "/attributions", body: { attributions: rows } });
  const onNoContingent = (over: Record<string, unknown>) =>
    attributionInput({ contingent: "none", leaseDate: "2024-04-02", ...over });

  it("refuses a quartier of another commune, an unknown code and a code outside QPV, each in French; nothing written", async () => {
    const before = Number((await db.select({ n: count() }).from(attributions))[0]!.n);
    const { status, body } = await post([
      onNoContingent({ qpv: true, qpvCode: "QZ59512A", communeInsee: "59350" }),
      onNoContingent({ qpv: true, qpvCode: "QZ00000X" }),
      onNoContingent({ qpv: false, qpvCode: "QZ59350A" }),
      onNoContingent({ qpv: true, qpvCode: "QZ 59" }),
    ]);
    expect(status).toBe(400);
    const errors = body.errors as unknown as Array<{ index: number; field: string; message: string }>;
    expect(errors.map((e) => [e.index, e.field])).toEqual([
      [0, "qpvCode"],
      [1, "qpvCode"],
      [2, "qpvCode"],
      [3, "qpvCode"],
    ]);
    expect(errors[0]!.message).toBe(
      "Le quartier Quartier Gamma-Sud (essai) (QZ59512A) est à Roubaix (59512), pas dans la commune 59350 du logement : corrigez le code du quartier ou la commune.",
    );
    expect(Number((await db.select({ n: count() }).from(attributions))[0]!.n)).toBe(before);
  });

  it("records the code through the API and through a file's optional « Code QPV » column", async () => {
    expect((await post([onNoContingent({ qpv: true, qpvCode: "qz59350a" })])).status).toBe(201);
    const header = ATTRIBUTION_COLUMNS.map((c) => c.header).join(";");
    const line = (numero: string, qpv: string, code: string) =>
      ATTRIBUTION_COLUMNS.map((c) =>
        c.field === "numeroUnique"
          ? numero
          : c.field === "qpv"
            ? qpv
            : c.field === "qpvCode"
              ? code
              : c.field === "contingent"
                ? "none"
                : c.field === "leaseDate"
                  ? "02/04/2024"
                  : c.example,
      ).join(";");
    const file = [header, line("059 2403 00001 Q", "oui", "QZ59350B"), line("059 2403 00002 Q", "oui", "")];
    const upload = await callApi(vilogia, importAction, {
      path: "/attributions/import",
      init: { method: "POST", body: file.join("\r\n"), duplex: "half" } as RequestInit,
    });
    expect(upload).toEqual({ status: 201, body: { received: 2, created: 2, alreadyKnown: 0 } });
    const stored = await db
      .select({ numero: attributions.numeroUnique, code: attributions.qpvCode })
      .from(attributions)
      .where(and(eq(attributions.leaseDate, "2024-04-02"), eq(attributions.qpv, true)));
    expect(stored.map((s) => s.code).sort()).toEqual(["QZ59350A", "QZ59350B", null]);
  });
});

describe("the CIL bilan by quartier", () => {
  const YEAR = 2023;
  const at = (over: Record<string, unknown>) =>
    attributionInput({ contingent: "none", leaseDate: `${YEAR}-09-12`, ...over });

  beforeAll(async () => {
    const rows = [
      ...Array.from({ length: 6 }, () => at({ qpv: true, qpvCode: "QZ59350A" })),
      ...Array.from({ length: 2 }, () =>
        at({ qpv: true, qpvCode: "QZ59350A", publicCategory: "dalo_labellise" }),
      ),
      ...Array.from({ length: 3 }, () => at({ qpv: true, qpvCode: "QZ59512A", communeInsee: "59512" })),
      ...Array.from({ length: 7 }, () => at({ qpv: true })),
      ...Array.from({ length: 5 }, () => at({ qpv: false })),
    ];
    const { status } = await callApi(vilogia, batchAction, {
      path: "/attributions",
      body: { attributions: rows },
    });
    expect(status).toBe(201);
  });

  it("counts each quartier (name and commune), « QPV non renseigné » and « Hors QPV »", async () => {
    const totals: Record<string, number> = {};
    for (const c of (await metropolitanBilan(melGestionnaire, YEAR)).filter(
      (c) => c.dimension === "quartier",
    ))
      totals[c.value] = (totals[c.value] ?? 0) + c.n;
    expect(totals).toEqual({
      "Hors QPV": 5,
      "Quartier Alpha (essai) (Lille)": 8,
      "Quartier Gamma-Sud (essai) (Roubaix)": 3,
      "QPV non renseigné": 7,
    });
  });

  it("masks counts under 5 in the communes' version, and a row's total with them", async () => {
    const sheetRows = async (mask: boolean) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(
        (await metropolitanBilanXlsx(melGestionnaire, YEAR, { mask })) as unknown as ArrayBuffer,
      );
      const sheet = workbook.getWorksheet("Quartier")!;
      const rows: Record<string, unknown[]> = {};
      sheet.eachRow((row) => {
        const values = (row.values as unknown[]).slice(1);
        if (typeof values[0] === "string") rows[values[0]] = values.slice(1);
      });
      return rows;
    };
    const autres = PUBLIC_CLASSES.findIndex((p) => p.key === "autres");
    const dalo = PUBLIC_CLASSES.findIndex((p) => p.key === "dalo_pdalhpd");
    const full = await sheetRows(false);
    expect(full["Quartier Alpha (essai) (Lille)"]![autres]).toBe(6);
    expect(full["Quartier Alpha (essai) (Lille)"]![dalo]).toBe(2);
    expect(full["Quartier Alpha (essai) (Lille)"]!.at(-1)).toBe(8);
    const masked = await sheetRows(true);
    const alpha = masked["Quartier Alpha (essai) (Lille)"]!;
    expect(alpha[autres]).toBe(6);
    expect(alpha[dalo]).toBe("< 5");
    expect(alpha.at(-1)).toBe("masqué");
    expect(masked["Quartier Gamma-Sud (essai) (Roubaix)"]!.at(-1)).toBe("masqué");
    // Zero counts are masked too (0 to 4), so no row of a public with few households shows its total.
    expect(masked["QPV non renseigné"]![autres]).toBe(7);
    expect(masked["QPV non renseigné"]![dalo]).toBe("< 5");
    expect(masked["QPV non renseigné"]!.at(-1)).toBe("masqué");
  });
});
