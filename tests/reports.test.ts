import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { attributions, avenants, forecasts } from "#db/schema";
import { defineAbilityFor } from "#policies/ability";
import { openApiDocument } from "~/api/openapi";
import type { Actor } from "~/lib/actor.server";
import { publishAssiette } from "~/models/assiette.server";
import { consumptionReport } from "~/models/reports.server";
import { loader as consumptionApi } from "~/routes/api.v1.reports.consumption";
import { loader as indicatorsApi } from "~/routes/api.v1.reports.indicators";
import { insertAttributions, times } from "./helpers/attributions";
import { apiOf } from "./helpers/cycle";
import { actorOf, BASE_URL, createUser, organisation, type TestUser } from "./helpers/fixtures";

/**
 * Consumption of rights and art. 11 indicators, on a hand-computed example (2025, a past year: the projection to
 * 31 December is what was counted), and who sees which figure.
 */
type Org = Awaited<ReturnType<typeof organisation>>;
let mel: Org;
let etat: Org;
let als: Org;
let vilogia: Org;
let lmh: Org;
let lille: Org;
let roubaix: Org;
const users: Record<string, TestUser> = {};

type Row = { reservataire: { name: string; id: string }; bailleur: { id: string }; [k: string]: unknown };
const line = (rows: Row[], reservataire: Org, bailleur: Org) =>
  rows.find((r) => r.reservataire.id === reservataire.id && r.bailleur.id === bailleur.id);

beforeAll(async () => {
  mel = await organisation("mel");
  etat = await organisation("etat");
  als = await organisation("action-logement");
  vilogia = await organisation("vilogia");
  lmh = await organisation("lille-metropole-habitat");
  lille = await organisation("commune-59350");
  roubaix = await organisation("commune-59512");
  for (const slug of ["mel", "action-logement", "vilogia", "commune-59350", "urh"])
    users[slug] = await createUser(slug, ["lecteur"]);
  await db.insert(avenants).values([
    {
      reservataireId: mel.id,
      bailleurId: vilogia.id,
      year: 2025,
      rateBp: 2000,
      fluxH: 500,
      rights: 100,
      status: "accepted",
    },
    {
      reservataireId: etat.id,
      bailleurId: vilogia.id,
      year: 2025,
      rateBp: 2870,
      fluxH: 500,
      rights: 144,
      status: "sent",
    },
  ]);
  const onMel = { bailleurId: vilogia.id, contingent: "mel" as const, reservataireId: mel.id };
  await insertAttributions([
    // Counted on the MEL's rights on Vilogia in 2025: 6, of which 2 DALO-PDALHPD, 1 MBC, 4 CIA targets.
    { ...onMel, publicCategory: "dalo_labellise", typology: "T4", financing: "plai" },
    { ...onMel, publicCategory: "pdalhpd_labellise", communeInsee: "59512", qpv: true },
    { ...onMel, publicCategory: "mbc_labellise", transfer: "inter_bailleur", pmr: true },
    { ...onMel, publicCategory: "cible_cia_declaree", firstLetting: true, refusalsAfterCaleol: 2 },
    ...times(2, { ...onMel, publicCategory: "autre" as const }),
    // Not counted: NPRU rehousing, an internal transfer, a lease of 2024.
    { ...onMel, publicCategory: "npru" },
    { ...onMel, transfer: "internal" },
    { ...onMel, leaseDate: "2024-12-31" },
    // Other pairs: the État on Vilogia, the MEL on LMH, ALS on LMH in Roubaix.
    ...times(3, {
      bailleurId: vilogia.id,
      contingent: "etat" as const,
      reservataireId: etat.id,
      publicCategory: "dalo_labellise" as const,
    }),
    { bailleurId: vilogia.id, contingent: "etat_agents", reservataireId: etat.id },
    { bailleurId: lmh.id, contingent: "mel", reservataireId: mel.id },
    ...times(7, {
      bailleurId: lmh.id,
      contingent: "action_logement" as const,
      reservataireId: als.id,
      communeInsee: "59512",
    }),
  ]);
});

describe("consumption of rights (hand-computed example)", () => {
  it("counts one contingent, leaves out NPRU, internal transfers and other years, and flags the MEL behind", async () => {
    const { call } = await apiOf(users.mel!);
    const { status, body } = await call(consumptionApi, "/api/v1/reports/consumption?year=2025");
    expect(status).toBe(200);
    const rows = body as unknown as Row[];
    expect(line(rows, mel, vilogia)).toMatchObject({
      rights: 100,
      provisional: false,
      counted: 6,
      remaining: 94,
      projected: 6,
      behind: true,
    });
    expect(line(rows, mel, vilogia)!.priorityShare).toBeCloseTo(2 / 6);
    expect(
      (line(rows, mel, vilogia)!.subTargets as Array<{ key: string; met: boolean }>).map((t) => [
        t.key,
        t.met,
      ]),
    ).toEqual([
      ["ciaTargets", true], // 4 / 6
      ["priority", true], // 2 / 6 ≥ 25 %
      ["mbc", true], // 1 / 6 ≥ 15 %
    ]);
    // The État's letter is only sent: its rights are provisional. 3 DALO of 3 outside agents; 1 agent of H = 500.
    expect(line(rows, etat, vilogia)).toMatchObject({
      rights: 144,
      provisional: true,
      counted: 4,
      priorityShare: 1,
    });
    // A pair holding a contingent without letter nor published assiette: no rights yet, counted all the same.
    expect(line(rows, als, lmh)).toMatchObject({ rights: null, counted: 7, remaining: null });
    expect(line(rows, mel, lmh)).toMatchObject({ counted: 1 });
  });

  it("projects to 31 December at the current pace in the year under way", async () => {
    await insertAttributions(
      times(5, {
        bailleurId: vilogia.id,
        contingent: "mel" as const,
        reservataireId: mel.id,
        leaseDate: "2026-03-01",
      }),
    );
    const actor: Actor = {
      user: { id: users.mel!.id, email: users.mel!.email, name: users.mel!.name },
      organisation: { id: mel.id, slug: "mel", kind: "metropole", name: mel.name },
      roles: ["lecteur"],
      ability: defineAbilityFor({
        userId: users.mel!.id,
        organisationId: mel.id,
        kind: "metropole",
        roles: ["lecteur"],
      }),
      via: "session",
    };
    // 10 April 2026: 100 days elapsed of 365 → 5 × 365 / 100 = 18,25 → 18.
    const rows = await consumptionReport(actor, 2026, new Date("2026-04-10T10:00:00Z"));
    expect(line(rows as unknown as Row[], mel, vilogia)).toMatchObject({
      counted: 5,
      projected: 18,
      rights: null,
    });
  });

  it("shows a réservataire its own contingent and a bailleur its own flux, never another's", async () => {
    const asAls = (
      await (
        await apiOf(users["action-logement"]!)
      ).call(consumptionApi, "/api/v1/reports/consumption?year=2025")
    ).body as unknown as Row[];
    expect(asAls.length).toBeGreaterThan(0);
    expect(asAls.every((r) => r.reservataire.id === als.id)).toBe(true);
    expect(line(asAls, als, lmh)).toMatchObject({ counted: 7 });
    const asVilogia = (
      await (await apiOf(users.vilogia!)).call(consumptionApi, "/api/v1/reports/consumption?year=2025")
    ).body as unknown as Row[];
    expect(asVilogia.every((r) => r.bailleur.id === vilogia.id)).toBe(true);
    expect(line(asVilogia, mel, vilogia)).toMatchObject({ counted: 6 });
    // Pairs with neither rights nor attributions only on demand (`empty=1`).
    const asUrh = (
      await (await apiOf(users.urh!)).call(consumptionApi, "/api/v1/reports/consumption?year=2025&empty=1")
    ).body as unknown as Row[];
    expect(new Set(asUrh.map((r) => r.bailleur.id)).size).toBeGreaterThan(2);
    const withoutEmpty = (
      await (await apiOf(users.urh!)).call(consumptionApi, "/api/v1/reports/consumption?year=2025")
    ).body as unknown as Row[];
    expect(withoutEmpty.length).toBeLessThan(asUrh.length);
    expect(withoutEmpty.every((r) => r.rights !== null || r.counted !== 0)).toBe(true);
  });

  it("says « exceeded » apart from « behind », and filters by réservataire, bailleur, commune and state", async () => {
    await db.insert(avenants).values({
      reservataireId: als.id,
      bailleurId: lmh.id,
      year: 2025,
      rateBp: 130,
      fluxH: 200,
      rights: 2,
      status: "accepted",
    });
    const { call } = await apiOf(users.mel!);
    const get = async (query: string) =>
      (await call(consumptionApi, `/api/v1/reports/consumption?year=2025${query}`)).body as unknown as Row[];
    const exceeded = await get("&state=exceeded");
    expect(exceeded.map((r) => [r.reservataire.id, r.bailleur.id, r.counted, r.remaining, r.state])).toEqual([
      [als.id, lmh.id, 7, -5, "exceeded"],
    ]);
    expect((await get("&reservataire=mel")).every((r) => r.reservataire.id === mel.id)).toBe(true);
    // On Vilogia, the MEL and the État project under their rights.
    expect((await get("&bailleur=vilogia&state=behind")).map((r) => r.reservataire.id).sort()).toEqual(
      [mel.id, etat.id].sort(),
    );
    // Roubaix (59512): ALS × LMH and one MEL attribution on Vilogia were counted there.
    expect((await get("&commune=59512")).map((r) => `${r.reservataire.id}|${r.bailleur.id}`).sort()).toEqual(
      [`${als.id}|${lmh.id}`, `${mel.id}|${vilogia.id}`].sort(),
    );
    const bad = await call(consumptionApi, "/api/v1/reports/consumption?year=2025&state=perdu");
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/État : on_track/);
    await db.delete(avenants).where(eq(avenants.rights, 2));
  });

  it("answers a bad year with a French 400", async () => {
    const { call } = await apiOf(users.mel!);
    const { status, body } = await call(consumptionApi, "/api/v1/reports/consumption?year=deux-mille");
    expect(status).toBe(400);
    expect(body.message).toMatch(/Année invalide/);
  });
});

describe("art. 11 indicators", () => {
  type Figures = Record<string, unknown> & {
    contingent?: string;
    ciaTarget?: boolean;
    communeInsee?: string;
  };
  it("counts per contingent × (CIA targets | others), with T4+, PLAI, PMR, new programmes and refusals", async () => {
    const { call } = await apiOf(users.mel!);
    const { status, body } = await call(
      indicatorsApi,
      `/api/v1/reports/indicators?year=2025&bailleur=${vilogia.id}`,
    );
    expect(status).toBe(200);
    const byContingent = body.byContingent as Figures[];
    // MEL on Vilogia: CIA targets = DALO, PDALHPD, MBC, CIA declared, NPRU (5); others = 2 autres + internal (3).
    expect(byContingent.find((r) => r.contingent === "mel" && r.ciaTarget)).toEqual({
      contingent: "mel",
      ciaTarget: true,
      total: 5,
      t4plus: 1,
      plai: 1,
      pmr: 1,
      firstLetting: 1,
      refusals: 2,
    });
    expect(byContingent.find((r) => r.contingent === "mel" && !r.ciaTarget)).toMatchObject({ total: 3 });
    expect(body.metropolitan).toBeNull();
    const inQpv = await call(
      indicatorsApi,
      `/api/v1/reports/indicators?year=2025&bailleur=${vilogia.id}&qpv=oui`,
    );
    expect((inQpv.body.byCommune as Figures[]).map((r) => [r.communeInsee, r.total])).toEqual([["59512", 1]]);
    const bad = await call(indicatorsApi, "/api/v1/reports/indicators?year=2025&commune=Lille&qpv=peut-etre");
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors as object).sort()).toEqual(["commune", "qpv"]);
  });

  it("shows a commune its territory only, counts below 5 as « < 5 », with metropolitan averages", async () => {
    const { call } = await apiOf(users["commune-59350"]!);
    const { status, body } = await call(indicatorsApi, "/api/v1/reports/indicators?year=2025");
    expect(status).toBe(200);
    const byCommune = body.byCommune as Figures[];
    expect(byCommune.map((r) => r.communeInsee)).toEqual(["59350"]);
    expect(byCommune[0]).toMatchObject({ communeName: lille.name, total: 12, t4plus: "< 5", pmr: "< 5" });
    // Even asking for Roubaix, a commune sees nothing of another commune's territory.
    const other = await call(indicatorsApi, "/api/v1/reports/indicators?year=2025&commune=59512");
    expect(other.body.byCommune).toEqual([]);
    expect(JSON.stringify(other.body)).not.toContain(roubaix.name);
    const metropolitan = body.metropolitan as { averagePerCommune: number; shares: { t4plus: number } };
    // 2025: 20 attributions over 2 communes (12 in Lille, 8 in Roubaix).
    expect(metropolitan.averagePerCommune).toBe(10);
    expect(metropolitan.shares.t4plus).toBeCloseTo(1 / 20);
    // Its consumption report: no own contingent here, and nothing of the réservataires' pairs.
    const consumption = await call(consumptionApi, "/api/v1/reports/consumption?year=2025");
    expect(consumption.body).toEqual([]);
  });

  it("masks a commune's own contingent figures below 5", async () => {
    await insertAttributions([{ bailleurId: lmh.id, contingent: "commune", reservataireId: lille.id }]);
    const { call } = await apiOf(users["commune-59350"]!);
    const rows = (await call(consumptionApi, "/api/v1/reports/consumption?year=2025"))
      .body as unknown as Row[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ counted: "< 5", projected: "< 5", priorityShare: null, rights: null });
  });
});

describe("rollups kept by the database", () => {
  it("follow updates and deletions of attributions", async () => {
    const { call } = await apiOf(users.mel!);
    const counted = async () =>
      line(
        (await call(consumptionApi, "/api/v1/reports/consumption?year=2025")).body as unknown as Row[],
        als,
        lmh,
      )!.counted;
    expect(await counted()).toBe(7);
    const [row] = await insertAttributions([
      { bailleurId: lmh.id, contingent: "action_logement", reservataireId: als.id, leaseDate: "2025-09-01" },
    ]);
    expect(await counted()).toBe(8);
    // Corrected as an NPRU rehousing: it no longer consumes rights.
    await db
      .update(attributions)
      .set({ publicCategory: "npru", countsOnRights: false })
      .where(eq(attributions.id, row!.id));
    expect(await counted()).toBe(7);
    await db.delete(attributions).where(eq(attributions.id, row!.id));
    expect(await counted()).toBe(7);
    const indicators = await call(
      indicatorsApi,
      `/api/v1/reports/indicators?year=2025&reservataire=${als.id}`,
    );
    expect((indicators.body.byContingent as Array<{ total: number }>).map((r) => r.total)).toEqual([7]);
  });
});

describe("provisional rights from the published assiette", () => {
  it("take rate × H of the published assiette when no letter exists yet", async () => {
    await db.insert(forecasts).values({
      bailleurId: lmh.id,
      year: 2025,
      a: 1000,
      b: 0,
      c: 40,
      d: 10,
      e: 0,
      f: 0,
      g: 0,
      status: "validated",
    });
    const { call } = await apiOf(users.mel!);
    const before = (await call(consumptionApi, "/api/v1/reports/consumption?year=2025"))
      .body as unknown as Row[];
    expect(line(before, als, lmh)).toMatchObject({ rights: null });
    await publishAssiette(await actorOf(await createUser("etat", ["signataire"])), {
      year: 2025,
      confirmIncomplete: true,
      baseUrl: BASE_URL,
      now: new Date("2025-02-27T10:00:00Z"),
    });
    const rows = (await call(consumptionApi, "/api/v1/reports/consumption?year=2025"))
      .body as unknown as Row[];
    // H = 1 000 − 40 − 10 = 950; ALS's 1,3 % rétrocession (no negotiated rate) → 12,35 → 12; MEL 20 % → 190.
    expect(line(rows, als, lmh)).toMatchObject({ rights: 12, provisional: true, counted: 7, remaining: 5 });
    // The rights name the version of the assiette they come from.
    expect(line(rows, als, lmh)).toMatchObject({ assietteVersion: 1 });
    expect(line(rows, mel, lmh)).toMatchObject({ rights: 190, provisional: true });
    // The MEL's accepted letter on Vilogia still wins over the assiette.
    expect(line(rows, mel, vilogia)).toMatchObject({ rights: 100, provisional: false });
  });
});

describe("OpenAPI", () => {
  it("describes both report endpoints, every reference resolving to a schema", () => {
    expect(Object.keys(openApiDocument.paths)).toEqual(
      expect.arrayContaining(["/reports/consumption", "/reports/indicators"]),
    );
    const text = JSON.stringify(openApiDocument);
    const refs = [...text.matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(expect.arrayContaining(["ConsumptionRow", "IndicatorReport"]));
    for (const ref of refs) expect(Object.keys(openApiDocument.components.schemas)).toContain(ref);
  });
});
