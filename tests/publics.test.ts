import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, queryRows } from "#db/client.server";
import { attributions } from "#db/schema";
import { defineAbilityFor } from "#policies/ability";
import { PUBLIC_CLASSES, type PublicClass, publicClassOf, REHOUSINGS } from "~/domain/publics";
import { PUBLIC_CATEGORIES } from "~/domain/signalement";
import type { Actor } from "~/lib/actor.server";
import { recordAttributions } from "~/models/attributions.server";
import { bilanFigures } from "~/models/bilans.server";
import { metropolitanBilan } from "~/models/metropolitan-bilan.server";
import { consumptionReport, indicatorReport } from "~/models/reports.server";
import { createUser, organisation } from "./helpers/fixtures";

/**
 * One classification of publics (app/domain/publics.ts) for every report: each rule once, the SQL function against
 * the domain on every input, then one fixture recorded through the real path and read back by each report.
 */
type Org = Awaited<ReturnType<typeof organisation>>;
type Role = "lecteur" | "gestionnaire";

async function actorOf(slug: string, kind: Actor["organisation"]["kind"], role: Role): Promise<Actor> {
  const org = await organisation(slug);
  const user = await createUser(slug, [role]);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organisation: { id: org.id, slug, kind, name: org.name },
    roles: [role],
    ability: defineAbilityFor({ userId: user.id, organisationId: org.id, kind, roles: [role] }),
    via: "session",
  };
}

describe("the classification of publics (004 l. 451–454, l. 240–246)", () => {
  it("files each public once, a CIA target declared in the SNE apart from « autres », an NPRU rehousing as NPRU", () => {
    const of = (publicCategory: (typeof PUBLIC_CATEGORIES)[number], rehousing = "none" as const) =>
      publicClassOf({ publicCategory, rehousing });
    expect(of("dalo_labellise")).toBe("dalo_pdalhpd");
    expect(of("pdalhpd_labellise")).toBe("dalo_pdalhpd");
    expect(of("mbc_labellise")).toBe("mbc");
    expect(of("cible_cia_declaree")).toBe("cia_sne");
    expect(of("npru")).toBe("npru");
    expect(of("autre")).toBe("autres");
    expect(publicClassOf({ publicCategory: "dalo_labellise", rehousing: "npru" })).toBe("npru");
    expect(publicClassOf({ publicCategory: "autre", rehousing: "orcod" })).toBe("autres");
    expect(PUBLIC_CLASSES.filter((c) => !c.ciaTarget).map((c) => c.key)).toEqual(["autres"]);
  });

  it("is the same rule in SQL (attribution_public_class) on every category × rehousing", async () => {
    for (const publicCategory of PUBLIC_CATEGORIES)
      for (const rehousing of REHOUSINGS) {
        const [row] = await queryRows<{ c: string }>(
          sql`select attribution_public_class(${publicCategory}, ${rehousing}) as c`,
        );
        expect(row!.c, `${publicCategory} × ${rehousing}`).toBe(publicClassOf({ publicCategory, rehousing }));
      }
  });
});

describe("one fixture, every report files it the same way", () => {
  const YEAR = 2023;
  let vilogia: Org;
  let mel: Org;
  const fixture = [
    ...Array.from({ length: 2 }, () => ({ publicCategory: "dalo_labellise" })),
    { publicCategory: "pdalhpd_labellise" },
    { publicCategory: "mbc_labellise", transfer: "inter_bailleur" },
    ...Array.from({ length: 2 }, () => ({ publicCategory: "cible_cia_declaree" })),
    // Outside the flux: typed on the MEL contingent, recorded on none.
    { publicCategory: "npru" },
    { publicCategory: "autre", rehousing: "orcod" },
    { publicCategory: "autre", transfer: "internal" },
    ...Array.from({ length: 2 }, () => ({ publicCategory: "autre" })),
  ] as const;
  const expected = (rows: ReadonlyArray<{ publicCategory: string; rehousing?: string }>) => {
    const counts: Partial<Record<PublicClass, number>> = {};
    for (const r of rows) {
      const key = publicClassOf({
        publicCategory: r.publicCategory as never,
        rehousing: (r.rehousing ?? "none") as never,
      });
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  const outsideFlux = (r: { publicCategory: string; rehousing?: string; transfer?: string }) =>
    r.publicCategory === "npru" || (r.rehousing ?? "none") !== "none" || r.transfer === "internal";
  const onMel = fixture.filter((r) => !outsideFlux(r));
  let melActor: Actor;
  let bailleur: Actor;

  beforeAll(async () => {
    vilogia = await organisation("vilogia");
    mel = await organisation("mel");
    melActor = await actorOf("mel", "metropole", "lecteur");
    bailleur = await actorOf("vilogia", "bailleur", "gestionnaire");
    await recordAttributions(
      bailleur,
      fixture.map((r, i) => ({
        numeroUnique: `059230100${String(i).padStart(3, "0")}P`,
        leaseDate: `${YEAR}-05-10`,
        bailleurSlug: "vilogia",
        communeInsee: "59350",
        qpv: "non",
        typology: "T3",
        financing: "PLUS",
        pmr: "non",
        firstLetting: "non",
        constructionPeriod: "1975_1989",
        transfer: "none",
        contingent: "mel",
        ...r,
      })),
      { source: "api", now: new Date("2026-01-10T10:00:00Z") },
    );
  });

  it("records what is outside the flux on no contingent", async () => {
    const rows = await db
      .select({ contingent: attributions.contingent, counts: attributions.countsOnRights })
      .from(attributions)
      .where(and(eq(attributions.bailleurId, vilogia.id), eq(attributions.leaseDate, `${YEAR}-05-10`)));
    expect(rows.filter((r) => r.contingent === "none")).toHaveLength(fixture.length - onMel.length);
    expect(rows.filter((r) => r.counts)).toHaveLength(onMel.length);
  });

  it("consumption: the shares of DALO-PDALHPD, CIA targets and MBC", async () => {
    const rows = await consumptionReport(melActor, YEAR);
    const row = rows.find((r) => r.reservataire.id === mel.id && r.bailleur.id === vilogia.id)!;
    const classes = expected(onMel);
    expect(row.counted).toBe(onMel.length);
    const share = (key: string) => row.subTargets.find((t) => t.key === key)?.share;
    expect(share("priority")).toBe(classes.dalo_pdalhpd! / onMel.length);
    expect(share("mbc")).toBe(classes.mbc! / onMel.length);
    expect(share("ciaTargets")).toBe((onMel.length - (classes.autres ?? 0)) / onMel.length);
  });

  it("indicators: CIA targets vs others per contingent, what is outside the flux under no contingent", async () => {
    const report = await indicatorReport(melActor, { year: YEAR, qpv: undefined });
    const total = (contingent: string, ciaTarget: boolean) =>
      (report.byContingent.find((r) => r.contingent === contingent && r.ciaTarget === ciaTarget)?.total ??
        0) as number;
    const outside = fixture.filter(outsideFlux);
    const ciaCount = (rows: ReadonlyArray<{ publicCategory: string; rehousing?: string }>) =>
      Object.entries(expected(rows))
        .filter(([key]) => key !== "autres")
        .reduce((s, [, n]) => s + n, 0);
    expect(total("mel", true)).toBe(ciaCount(onMel));
    expect(total("mel", false)).toBe(onMel.length - ciaCount(onMel));
    expect(total("none", true)).toBe(ciaCount(outside));
    expect(total("none", false)).toBe(outside.length - ciaCount(outside));
  });

  it("the bailleur's bilan to the MEL: its « Public » dimension", async () => {
    const figures = await bilanFigures(bailleur, mel.id, YEAR);
    const got = Object.fromEntries((figures.by.publicClass ?? []).map((v) => [v.key, v.count]));
    expect(got).toEqual(expected(onMel));
  });

  it("the MEL's bilan to the CIL: every attribution by class, « Autres demandes » without CIA targets", async () => {
    const cells = (await metropolitanBilan(melActor, YEAR)).filter((c) => c.dimension === "qpv");
    const got: Record<string, number> = {};
    for (const c of cells) got[c.publicClass] = (got[c.publicClass] ?? 0) + c.n;
    expect(got).toEqual(expected(fixture));
    expect(got.autres).toBe(fixture.filter((r) => r.publicCategory === "autre").length);
  });
});
