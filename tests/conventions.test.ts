import { eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditLog, conventions, emailOutbox } from "#db/schema";
import { openApiDocument } from "~/api/openapi";
import { emptyFinancialAnnex, MEL_PUBLICS } from "~/domain/convention";
import { action as createAction, loader as listLoader } from "~/routes/api.v1.conventions";
import { loader as oneLoader, action as patchAction } from "~/routes/api.v1.conventions.$id";
import { action as signAction } from "~/routes/api.v1.conventions.$id.sign";
import { loader as pdfLoader } from "~/routes/conventions.$id.convention[.pdf]";
import { apiOf, browserOf } from "./helpers/cycle";
import { createUser, organisation } from "./helpers/fixtures";
import { pdfText } from "./helpers/pdf";

/**
 * Conventions on the API: the MEL records the cadre and its six signatory organisations sign it; a réservataire
 * drafts a bilatérale from the model of Annex 2 (004 lines 560–806), both signataires sign, and it is then frozen.
 */
type Api = Awaited<ReturnType<typeof apiOf>>;
type Convention = {
  id: string;
  kind: string;
  status: string;
  title: string;
  rateBp: number | null;
  signedAt: string | null;
  signatures: Array<{ organisation: { name: string }; signedAt: string | null; signerName: string | null }>;
};
const api: Record<string, Api> = {};
let vilogiaId = "";
let partenordId = "";

const create = (who: string, body: unknown) =>
  api[who]!.call(createAction as never, "/api/v1/conventions", { method: "POST", body });
const list = async (who: string) =>
  (await api[who]!.call(listLoader as never, "/api/v1/conventions")).body as unknown as Convention[];
const sign = (who: string, id: string) =>
  api[who]!.call(signAction as never, `/api/v1/conventions/${id}/sign`, { method: "POST", params: { id } });
const patch = (who: string, id: string, body: unknown) =>
  api[who]!.call(patchAction as never, `/api/v1/conventions/${id}`, {
    method: "PATCH",
    body,
    params: { id },
  });

const melDraft = () => ({
  kind: "bilaterale",
  bailleurId: vilogiaId,
  startYear: 2024,
  endYear: 2026,
  rateBp: 2000,
  management: "delegated",
  publics: MEL_PUBLICS,
  financialAnnex: {
    ...emptyFinancialAnnex(),
    years: emptyFinancialAnnex().years.map((y) => ({ ...y, expiredEur: 1000 * (y.year - 2014) })),
    subsidies: { plai: { totalEur: 150_000, paidEur: 90_000 }, plus: { totalEur: 80_000, paidEur: 80_000 } },
  },
});

beforeAll(async () => {
  const people: Array<[string, string, Parameters<typeof createUser>[1]]> = [
    ["mel-gestionnaire", "mel", ["gestionnaire"]],
    ["mel-signataire", "mel", ["signataire"]],
    ["etat-signataire", "etat", ["signataire"]],
    ["departement-signataire", "departement-nord", ["signataire"]],
    ["urh-signataire", "urh", ["signataire"]],
    ["als-signataire", "action-logement", ["signataire"]],
    ["sicf-signataire", "sicf", ["signataire"]],
    ["vilogia-signataire", "vilogia", ["signataire"]],
    ["vilogia-gestionnaire", "vilogia", ["gestionnaire"]],
    ["lmh-signataire", "lille-metropole-habitat", ["signataire"]],
    ["commune", "commune-59350", ["admin", "signataire"]],
  ];
  for (const [who, slug, roles] of people) api[who] = await apiOf(await createUser(slug, roles));
  vilogiaId = (await organisation("vilogia")).id;
  partenordId = (await organisation("partenord-habitat")).id;
});

describe("convention cadre", () => {
  let cadreId = "";
  it("is recorded by the MEL only, once per period", async () => {
    expect((await create("etat-signataire", { kind: "cadre", startYear: 2024, endYear: 2026 })).status).toBe(
      403,
    );
    const created = await create("mel-gestionnaire", { kind: "cadre", startYear: 2024, endYear: 2026 });
    expect(created.status).toBe(201);
    const cadre = created.body as unknown as Convention;
    cadreId = cadre.id;
    expect(cadre.status).toBe("draft");
    expect(cadre.signatures.map((s) => s.organisation.name).sort()).toEqual(
      [
        "Action Logement Services Hauts-de-France",
        "Département du Nord",
        "Métropole Européenne de Lille",
        "Préfet du Nord (DDTM)",
        "Société Immobilière des Chemins de Fer (SICF)",
        "Union Régionale pour l'Habitat Hauts-de-France",
      ].sort(),
    );
    const again = await create("mel-signataire", { kind: "cadre", startYear: 2024, endYear: 2026 });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/déjà enregistrée/);
  });

  it("is read by every partner but a commune, and signed by each signatory's signataire only", async () => {
    expect((await list("vilogia-gestionnaire")).map((c) => c.id)).toEqual([cadreId]);
    // A commune lists only the conventions it is party to (its parts communales), never the cadre.
    const communeList = await api.commune!.call(listLoader as never, "/api/v1/conventions");
    expect(communeList.status).toBe(200);
    expect(communeList.body).toEqual([]);
    expect((await sign("vilogia-signataire", cadreId)).status).toBe(403);
    expect((await sign("mel-gestionnaire", cadreId)).status).toBe(403);
    expect((await sign("commune", cadreId)).status).toBe(404);
    const signers = ["etat", "departement", "urh", "als", "sicf"].map((s) => `${s}-signataire`);
    for (const who of signers) expect((await sign(who, cadreId)).status).toBe(200);
    expect((await sign("etat-signataire", cadreId)).status).toBe(409);
    const last = await sign("mel-signataire", cadreId);
    expect(last.status).toBe(200);
    const signed = last.body as unknown as Convention;
    expect(signed.status).toBe("signed");
    expect(signed.signatures.every((s) => s.signedAt !== null && s.signerName)).toBe(true);
  });
});

describe("convention bilatérale", () => {
  let id = "";
  it("refuses bad terms with French messages per field, and writes nothing", async () => {
    const bad = await create("mel-gestionnaire", {
      ...melDraft(),
      rateBp: 2500,
      management: "direct",
      publics: { ciaTargetsPct: 50, daloPct: 20, mbcPct: 10 },
      financialAnnex: {
        ...melDraft().financialAnnex,
        subsidies: { plai: { totalEur: 10, paidEur: 20 }, plus: { totalEur: 0, paidEur: 0 } },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toMatchObject({
      rateBp: "Le taux des collectivités ensemble ne peut pas dépasser 20 % de l'assiette du flux.",
      management: expect.stringMatching(/gestion déléguée/),
      "publics.daloPct": expect.stringMatching(/25 %/),
      "publics.mbcPct": expect.stringMatching(/15 %/),
      "financialAnnex.subsidies.plai.paidEur": expect.stringMatching(/dépasse le montant total/),
    });
    const partenord = await create("mel-gestionnaire", { ...melDraft(), bailleurId: partenordId });
    expect(partenord.status).toBe(400);
    expect((partenord.body.errors as Record<string, string>).bailleurId).toMatch(/Partenord/);
    const noAnnex = await create("mel-gestionnaire", { ...melDraft(), financialAnnex: undefined });
    expect((noAnnex.body.errors as Record<string, string>).financialAnnex).toMatch(/annexe financière/);
    const shape = await create("mel-gestionnaire", { ...melDraft(), rateBp: "20 %", management: "mixte" });
    expect(shape.status).toBe(400);
    expect(Object.keys(shape.body.errors as object).sort()).toEqual(["management", "rateBp"]);
    // The French values before issue 18 are refused, the message naming the values the API takes.
    const french = await create("mel-gestionnaire", { ...melDraft(), management: "deleguee" });
    expect(french.status).toBe(400);
    expect((french.body.errors as Record<string, string>).management).toMatch(/« direct ».*« delegated »/);
    const period = await create("mel-gestionnaire", { ...melDraft(), endYear: 2023 });
    expect(period.body.errors).toEqual({ endYear: "La fin de la période précède son début." });
    expect((await create("mel-gestionnaire", "pas un objet")).status).toBe(400);
    expect(await db.select().from(conventions).where(eq(conventions.kind, "bilaterale"))).toHaveLength(0);
  });

  it("is drafted by a réservataire (not a bailleur, not a commune) and the bailleur's signataires are told", async () => {
    expect((await create("vilogia-signataire", melDraft())).status).toBe(403);
    expect((await create("commune", melDraft())).status).toBe(403);
    const created = await create("mel-gestionnaire", melDraft());
    expect(created.status).toBe(201);
    const body = created.body as unknown as Convention & { financialAnnex: { guaranteeRatePct: number } };
    id = body.id;
    expect(body).toMatchObject({ kind: "bilaterale", status: "draft", rateBp: 2000 });
    expect(body.financialAnnex.guaranteeRatePct).toBe(100);
    const mails = await db
      .select()
      .from(emailOutbox)
      .where(like(emailOutbox.subject, "Convention à signer%"));
    expect(mails.filter((m) => m.to === api["vilogia-signataire"]!.user.email)).toHaveLength(1);
    expect(mails.some((m) => m.to === api["vilogia-gestionnaire"]!.user.email)).toBe(false);
    expect((await create("mel-signataire", melDraft())).status).toBe(409);
  });

  it("is seen by its two parties only; another bailleur's request answers 404", async () => {
    expect((await list("vilogia-gestionnaire")).map((c) => c.kind).sort()).toEqual(["bilaterale", "cadre"]);
    expect((await list("lmh-signataire")).map((c) => c.kind)).toEqual(["cadre"]);
    expect((await list("etat-signataire")).map((c) => c.kind)).toEqual(["cadre"]);
    const read = (who: string) =>
      api[who]!.call(oneLoader as never, `/api/v1/conventions/${id}`, { params: { id } });
    expect((await read("vilogia-gestionnaire")).status).toBe(200);
    expect((await read("lmh-signataire")).status).toBe(404);
    expect((await sign("lmh-signataire", id)).status).toBe(404);
    expect((await read("commune")).status).toBe(404);
    expect((await read("mel-gestionnaire")).status).toBe(200);
  });

  it("is changed by its drafter while nobody signed; the bailleur may not change it", async () => {
    expect((await patch("vilogia-signataire", id, { ...melDraft(), rateBp: 1500 })).status).toBe(403);
    const changed = await patch("mel-gestionnaire", id, {
      ...melDraft(),
      rateBp: 1800,
      fluxVolume: 1080,
      initialRights: 216,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ rateBp: 1800, fluxVolume: 1080, initialRights: 216 });
  });

  it("is signed by both signataires, then frozen: a change answers 409 in French and changes nothing", async () => {
    expect((await sign("vilogia-gestionnaire", id)).status).toBe(403);
    const first = await sign("vilogia-signataire", id);
    expect(first.body.status).toBe("signing");
    expect((await patch("mel-gestionnaire", id, { ...melDraft(), rateBp: 1900 })).status).toBe(409);
    const second = await sign("mel-signataire", id);
    expect(second.status).toBe(200);
    expect(second.body.status).toBe("signed");
    const frozen = await patch("mel-gestionnaire", id, { ...melDraft(), rateBp: 1900 });
    expect(frozen.status).toBe(409);
    expect(frozen.body.message).toMatch(/ne peut plus être modifiée que par avenant/);
    const [row] = await db.select().from(conventions).where(eq(conventions.id, id));
    expect(row!.rateBp).toBe(1800);
    const mails = await db
      .select()
      .from(emailOutbox)
      .where(like(emailOutbox.subject, "Convention signée — Convention bilatérale%"));
    expect(mails.map((m) => m.to)).toEqual([api["vilogia-signataire"]!.user.email]);
    const audits = await db.select().from(auditLog).where(eq(auditLog.subjectId, id));
    expect(audits.map((a) => a.action)).toEqual([
      "convention.create",
      "convention.update",
      "convention.sign",
      "convention.sign",
    ]);
  });

  it("keeps art. 2's flux and rights at 1 January, refuses rights above the flux, and prints them", async () => {
    const tooMany = await create("mel-gestionnaire", { ...melDraft(), fluxVolume: 100, initialRights: 101 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual({
      initialRights: expect.stringMatching(/ne peuvent dépasser le flux/),
    });
    const negative = await create("mel-gestionnaire", { ...melDraft(), fluxVolume: -1 });
    expect(negative.body.errors).toEqual({
      fluxVolume: expect.stringMatching(/nombre entier d'attributions/),
    });
    const read = await api["vilogia-signataire"]!.call(oneLoader as never, `/api/v1/conventions/${id}`, {
      params: { id },
    });
    expect(read.body).toMatchObject({ fluxVolume: 1080, initialRights: 216 });
    const mel = await browserOf(api["mel-signataire"]!.user);
    const pdf = await mel.raw(pdfLoader as never, `/conventions/${id}/convention.pdf`, { id });
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toMatch(/Flux d'attributions du bailleur en 2024[\s\S]*1080 attributions/);
    expect(text).toMatch(/au 1er janvier 2024[\s\S]*216 attributions/);
  });

  it("downloads as a PDF for its parties only", async () => {
    const mel = await browserOf(api["mel-signataire"]!.user);
    const pdf = await mel.raw(pdfLoader as never, `/conventions/${id}/convention.pdf`, { id });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    const lmh = await browserOf(api["lmh-signataire"]!.user);
    const denied = await lmh.get(pdfLoader as never, `/conventions/${id}/convention.pdf`, { id });
    expect(denied.status).toBe(404);
  });
});

describe("OpenAPI", () => {
  it("describes the three conventions endpoints and their schemas", () => {
    expect(Object.keys(openApiDocument.paths)).toEqual(
      expect.arrayContaining(["/conventions", "/conventions/{id}", "/conventions/{id}/sign"]),
    );
    expect(openApiDocument.components.schemas).toHaveProperty("Convention");
    expect(openApiDocument.paths["/conventions"]).toHaveProperty("post");
  });
});
