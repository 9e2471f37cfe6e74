import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { conventions, negotiatedRates } from "#db/schema";
import { action as listAction, loader as listLoader } from "~/routes/_app.conventions._index";
import { action as detailAction, loader as detailLoader } from "~/routes/_app.conventions.$id";
import { action as cadreFormAction, loader as cadreFormLoader } from "~/routes/_app.conventions.cadre.$kind";
import { action as draftAction, loader as draftLoader } from "~/routes/_app.conventions.nouvelle";
import { browserOf } from "./helpers/cycle";
import { createUser, organisation } from "./helpers/fixtures";

/** The conventions' pages: the MEL records the cadre, ALS drafts a bilatérale in the form, both sides sign. */
type Browser = Awaited<ReturnType<typeof browserOf>>;
let mel: Browser;
let als: Browser;
let alsGestionnaire: Browser;
let vilogia: Browser;
let lmh: Browser;
let commune: Browser;
let vilogiaId = "";

const alsForm = (overrides: Record<string, string> = {}) => ({
  intent: "create",
  bailleurId: vilogiaId,
  startYear: "2024",
  endYear: "2026",
  rate: "12,5",
  management: "direct",
  ciaTargetsPct: "40",
  daloPct: "25",
  mbcPct: "5",
  ...overrides,
});

beforeAll(async () => {
  mel = await browserOf(await createUser("mel", ["signataire"]));
  als = await browserOf(await createUser("action-logement", ["signataire"]));
  alsGestionnaire = await browserOf(await createUser("action-logement", ["gestionnaire"]));
  vilogia = await browserOf(await createUser("vilogia", ["signataire"]));
  lmh = await browserOf(await createUser("lille-metropole-habitat", ["signataire"]));
  commune = await browserOf(await createUser("commune-59350", ["admin"]));
  vilogiaId = (await organisation("vilogia")).id;
});

describe("conventions pages", () => {
  it("lets the MEL record the cadre once (with a confirmation); others do not see the button", async () => {
    expect((await mel.get(listLoader, "/conventions")).body.canRecordCadre).toBe(true);
    expect((await als.get(listLoader, "/conventions")).body.canRecordCadre).toBe(false);
    expect((await als.post(listAction, "/conventions", { intent: "record-cadre" })).status).toBe(403);
    const recorded = await mel.post(listAction, "/conventions", { intent: "record-cadre" });
    expect(recorded.status).toBe(302);
    expect((await mel.get(listLoader, "/conventions")).body.canRecordCadre).toBe(false);
    // A commune sees only the conventions it is party to (its parts communales), not the cadre.
    expect((await commune.get(listLoader, "/conventions")).body.conventions).toEqual([]);
  });

  it("shows the draft form to réservataires only, with the annex to the MEL only", async () => {
    expect((await mel.get(draftLoader, "/conventions/nouvelle")).body.withAnnex).toBe(true);
    expect((await als.get(draftLoader, "/conventions/nouvelle")).body.withAnnex).toBe(false);
    expect((await vilogia.get(draftLoader, "/conventions/nouvelle")).status).toBe(403);
  });

  it("keeps the form with French messages per field when the terms are wrong", async () => {
    const bad = await als.post(
      draftAction,
      "/conventions/nouvelle",
      alsForm({ rate: "douze", daloPct: "10", bailleurId: "" }),
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors as object).sort()).toEqual(["bailleurId", "rateBp"]);
    const tooHigh = await als.post(
      draftAction,
      "/conventions/nouvelle",
      alsForm({ rate: "27", daloPct: "10" }),
    );
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.body.errors).toMatchObject({ "publics.daloPct": expect.stringMatching(/25 %/) });
    // The terms right, the rate is checked against the ceilings on the bailleur (422, naming the rates).
    const aboveCeiling = await als.post(draftAction, "/conventions/nouvelle", alsForm({ rate: "27" }));
    expect(aboveCeiling.status).toBe(422);
    expect(aboveCeiling.body.errors).toMatchObject({
      rateBp: expect.stringMatching(
        /Action Logement serait 27 %, soit 25,7 % hors rétrocession .* 25 % au plus/,
      ),
    });
    expect(await db.select().from(conventions).where(eq(conventions.kind, "bilaterale"))).toHaveLength(0);
  });

  it("drafts, edits while unsigned, then both signataires sign with the page's button and it is frozen", async () => {
    const created = await alsGestionnaire.post(draftAction, "/conventions/nouvelle", alsForm());
    expect(created.status).toBe(302);
    const [row] = await db.select().from(conventions).where(eq(conventions.kind, "bilaterale"));
    const id = row!.id;
    const path = `/conventions/${id}`;
    expect(row).toMatchObject({ rateBp: 1250, management: "direct", financialAnnex: null });
    const asAls = await alsGestionnaire.get(detailLoader, path, { id });
    expect(asAls.body).toMatchObject({ canEdit: true, canSign: false });
    const edited = await alsGestionnaire.post(detailAction, path, alsForm({ intent: "update", rate: "15" }), {
      id,
    });
    expect(edited.body).toMatchObject({ ok: true });
    expect((await lmh.get(detailLoader, path, { id })).status).toBe(404);
    expect((await vilogia.get(detailLoader, path, { id })).body).toMatchObject({
      canSign: true,
      canEdit: false,
    });
    expect((await vilogia.post(detailAction, path, { intent: "sign" }, { id })).body.ok).toBe(true);
    expect((await vilogia.get(detailLoader, path, { id })).body.canSign).toBe(false);
    const last = await als.post(detailAction, path, { intent: "sign" }, { id });
    expect(last.body.message).toMatch(/figée/);
    const refused = await als.post(detailAction, path, alsForm({ intent: "update", rate: "20" }), { id });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/que par avenant/);
    const shown = (await vilogia.get(detailLoader, path, { id })).body.convention as {
      status: string;
      rateBp: number;
      signatures: Array<{ signedOn: string | null; signerName: string }>;
    };
    expect(shown.status).toBe("signed");
    expect(shown.rateBp).toBe(1500);
    expect(shown.signatures.every((s) => s.signedOn && s.signerName)).toBe(true);
  });
});

describe("the MEL's pages for a commune share and the Département's activation (004 l.178, l.188–192)", () => {
  const share = "/conventions/cadre/part-communale";
  const shareParams = { kind: "part-communale" };
  const shareForm = (overrides: Record<string, string> = {}) => ({
    kind: "part_communale",
    bailleurId: vilogiaId,
    startYear: "2024",
    endYear: "2026",
    rate: "5",
    ...overrides,
  });

  const postShare = async (overrides: Record<string, string>) =>
    mel.post(
      cadreFormAction,
      share,
      shareForm({ communeId: (await organisation("commune-59350")).id, ...overrides }),
      shareParams,
    );

  it("are the MEL's only; an unknown page answers 404", async () => {
    expect((await mel.get(cadreFormLoader, share, shareParams)).body.bailleurs).toContainEqual({
      value: vilogiaId,
      label: "Vilogia",
    });
    expect((await als.get(cadreFormLoader, share, shareParams)).status).toBe(403);
    expect((await als.post(cadreFormAction, share, shareForm(), shareParams)).status).toBe(403);
    expect((await mel.get(cadreFormLoader, "/conventions/cadre/autre", { kind: "autre" })).status).toBe(404);
  });

  it("keeps the form with French messages, and refuses a share beyond the MEL's 20 % naming the sum", async () => {
    const wrong = await postShare({ startYear: "deux mille" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toMatchObject({
      startYear: expect.stringMatching(/année sur quatre chiffres/),
    });
    const tooMuch = await postShare({ rate: "20,5" });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.message).toMatch(
      /les collectivités feraient ensemble 20,5 % : .*20 % au plus ensemble/,
    );
    expect(await db.select().from(conventions).where(eq(conventions.kind, "part_communale"))).toEqual([]);
  });

  it("drafts the commune's share; the commune, the bailleur and the MEL sign it on its page; its rate is in force", async () => {
    const communeId = (await organisation("commune-59350")).id;
    const created = await postShare({ rate: "2,5" });
    expect(created.status).toBe(302);
    const [row] = await db.select().from(conventions).where(eq(conventions.kind, "part_communale"));
    expect(row).toMatchObject({ rateBp: 250, bailleurId: vilogiaId, status: "draft" });
    const id = row!.id;
    const communeSignataire = await browserOf(await createUser("commune-59350", ["signataire"]));
    for (const party of [communeSignataire, vilogia, mel])
      expect((await party.post(detailAction, `/conventions/${id}`, { intent: "sign" }, { id })).body.ok).toBe(
        true,
      );
    const rates = await db.select().from(negotiatedRates).where(eq(negotiatedRates.conventionId, id));
    expect(rates.map((r) => [r.reservataireId, r.year, r.rateBp])).toEqual([
      [communeId, 2024, 250],
      [communeId, 2025, 250],
      [communeId, 2026, 250],
    ]);
  });

  it("drafts the avenant activating the Département on a chosen bailleur from a year", async () => {
    const partenordId = (await organisation("partenord-habitat")).id;
    const path = "/conventions/cadre/activation-departement";
    const params = { kind: "activation-departement" };
    const created = await mel.post(
      cadreFormAction,
      path,
      { kind: "activation_departement", bailleurId: partenordId, startYear: "2025", endYear: "2026" },
      params,
    );
    expect(created.status).toBe(302);
    const [row] = await db.select().from(conventions).where(eq(conventions.kind, "activation_departement"));
    expect(row).toMatchObject({ bailleurId: partenordId, startYear: 2025, endYear: 2026, status: "draft" });
  });
});
