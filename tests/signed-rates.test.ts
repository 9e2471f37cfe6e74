import { readdirSync, readFileSync } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import {
  assiettePublications,
  auditLog,
  conventionSignatures,
  conventions,
  forecasts,
  negotiatedRates,
  organisations,
} from "#db/schema";
import { annexRows } from "~/models/assiette.server";
import { generateAvenants, listAvenants } from "~/models/avenants.server";
import { contingentPairs, ratesOfYear } from "~/models/contingents.server";
import { signConvention } from "~/models/conventions.server";
import { action as attributionsAction } from "~/routes/api.v1.attributions";
import { action as createAction } from "~/routes/api.v1.conventions";
import { action as signAction } from "~/routes/api.v1.conventions.$id.sign";
import { loader as consumptionApi } from "~/routes/api.v1.reports.consumption";
import { attributionInput } from "./helpers/attributions";
import { apiOf, publishYear } from "./helpers/cycle";
import { asOwner } from "./helpers/database";
import { actorOf, BASE_URL, createUser, organisation } from "./helpers/fixtures";
import { draftBilaterale, signBilaterale } from "./helpers/signed-rates";

/**
 * Rates per year from signed documents (issue 13, DESIGN §3): the ceilings when a rate is drafted and again when
 * it is signed, the migration of the rates entered before, one rounding per right from the annex to the letter and
 * the consumption, and no rights from a draft forecast.
 */
type Api = Awaited<ReturnType<typeof apiOf>>;
let als: Api;
let sicf: Api;
const PUBLICS = { ciaTargetsPct: 50, daloPct: 25, mbcPct: 0 };

const forecast = async (slug: string, year: number, a: number, status: "draft" | "submitted" = "submitted") =>
  db.insert(forecasts).values({
    bailleurId: (await organisation(slug)).id,
    year,
    a,
    b: 0,
    c: 0,
    d: 0,
    e: 0,
    f: 0,
    g: 0,
    status,
    submittedAt: status === "submitted" ? new Date() : null,
  });

beforeAll(async () => {
  als = await apiOf(await createUser("action-logement", ["signataire"]));
  sicf = await apiOf(await createUser("sicf", ["signataire"]));
});

describe("ceilings, when a rate is drafted (422 on the API)", () => {
  const draft = (who: Api, bailleurSlug: string, rateBp: number) =>
    organisation(bailleurSlug).then((b) =>
      who.call(createAction as never, "/api/v1/conventions", {
        method: "POST",
        body: {
          kind: "bilaterale",
          bailleurId: b.id,
          startYear: 2030,
          endYear: 2030,
          rateBp,
          management: "direct",
          publics: PUBLICS,
        },
      }),
    );

  it("refuses ALS above 25 % besides its rétrocession, and the SICF above Annex 1's 25 %", async () => {
    const alsTooHigh = await draft(als, "vilogia", 2640);
    expect(alsTooHigh.status).toBe(422);
    expect(alsTooHigh.body.message).toBe(
      "Sur Vilogia en 2030, le taux d'Action Logement serait 26,4 %, soit 25,1 % hors rétrocession de 1,3 % : 25 % au plus hors rétrocession (convention cadre, l.196–198).",
    );
    const sicfTooHigh = await draft(sicf, "icf-habitat-nord-est", 3000);
    expect(sicfTooHigh.status).toBe(422);
    expect(sicfTooHigh.body.message).toMatch(
      /« 30 % au plus dans le Nord » \(l\.204\).*« 25 % au plus » \(l\.505\)/,
    );
    expect(await db.select().from(conventions)).toEqual([]);
    expect((await draft(als, "vilogia", 2630)).status).toBe(201);
  });
});

describe("ceilings, again when the rate is signed", () => {
  it("refuses the signature that would make 105 % on ICF Habitat Nord-Est once another rate was signed meanwhile", async () => {
    const icf = await organisation("icf-habitat-nord-est");
    const sicfOrg = await organisation("sicf");
    // ALS drafts 26,3 % on ICF for 2031: 28,7 + 26,3 + 20 = 75 % then.
    const { convention } = await draftBilaterale("action-logement", "icf-habitat-nord-est", 2630, {
      startYear: 2031,
      endYear: 2031,
    });
    // Meanwhile the SICF's departmental convention with ICF (signed by both, 30 %: above Annex 1's 25 %) is recorded.
    const [departmental] = await db
      .insert(conventions)
      .values({
        kind: "bilaterale",
        drafterId: sicfOrg.id,
        bailleurId: icf.id,
        title: "Convention SICF – ICF Habitat Nord-Est 2031",
        startYear: 2031,
        endYear: 2031,
        rateBp: 3000,
        status: "signed",
        signedAt: new Date(),
      })
      .returning();
    await db.insert(conventionSignatures).values([
      { conventionId: departmental!.id, organisationId: sicfOrg.id, signedAt: new Date() },
      { conventionId: departmental!.id, organisationId: icf.id, signedAt: new Date() },
    ]);
    await db.insert(negotiatedRates).values({
      reservataireId: sicfOrg.id,
      bailleurId: icf.id,
      year: 2031,
      rateBp: 3000,
      conventionId: departmental!.id,
    });

    const refused = await als.call(signAction as never, `/api/v1/conventions/${convention.id}/sign`, {
      method: "POST",
      params: { id: convention.id },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(
      /^Sur ICF Habitat Nord-Est en 2031, les taux signés feraient 105 % : .*Action Logement Services Hauts-de-France 26,3 %.*SICF.* 30 %/,
    );
    const [row] = await db.select().from(conventions).where(eq(conventions.id, convention.id));
    expect(row!.status).toBe("draft");
    // Nothing of ALS's was written for 2031.
    expect(
      await db
        .select()
        .from(negotiatedRates)
        .where(and(eq(negotiatedRates.year, 2031), eq(negotiatedRates.reservataireId, convention.drafterId))),
    ).toEqual([]);
  });
});

describe("migration of the rates entered before conventions carried them", () => {
  it("binds each rate to the years that used it: a published year keeps the rate it was published with", async () => {
    const alsOrg = await organisation("action-logement");
    const sicfOrg = await organisation("sicf");
    const vilogia = await organisation("vilogia");
    const icf = await organisation("icf-habitat-nord-est");
    const clesence = await organisation("clesence");
    const publishedAt = new Date("2026-02-27T10:00:00Z");
    // The state before: rates without a year (the old unique index), the 2026 assiette published, 2027 forecast.
    // Schema changes and the migration's statements are the owner's (on PostgreSQL `db` is the server's role).
    await asOwner(async (owner) => {
      await owner.execute(sql`alter table negotiated_rates alter column year drop not null`);
      await owner.execute(sql`drop index negotiated_rates_pair_year`);
    });
    await db.insert(assiettePublications).values({ year: 2026, publishedAt });
    await forecast("vilogia", 2026, 1400);
    await forecast("vilogia", 2027, 1300);
    const legacy = async (reservataireId: string, bailleurId: string, rateBp: number) =>
      (
        await db
          .insert(negotiatedRates)
          .values({ reservataireId, bailleurId, rateBp, year: sql`null` as unknown as number })
          .returning()
      )[0]!;
    const alsVilogia = await legacy(alsOrg.id, vilogia.id, 2500);
    await legacy(sicfOrg.id, icf.id, 1500);
    const alsClesence = await legacy(alsOrg.id, clesence.id, 2000);
    const change = (subjectId: string, at: string, before: number | null, after: number) =>
      db.insert(auditLog).values({
        at: new Date(at),
        action: "negotiated_rate.set",
        subjectType: "NegotiatedRate",
        subjectId,
        before: before === null ? null : { rateBp: before },
        after: { rateBp: after },
      });
    // ALS set 18,5 % on Vilogia in January, then 25 % alone after the publication (issue 13, 1.).
    await change(alsVilogia.id, "2026-01-10T09:00:00Z", null, 1850);
    await change(alsVilogia.id, "2026-03-05T09:00:00Z", 1850, 2500);
    // Its Clésence rate did not exist when 2026 was published.
    await change(alsClesence.id, "2026-03-06T09:00:00Z", null, 2000);

    const file = readdirSync("db/migrations").find((f) => f.endsWith("_signed_rates.sql"))!;
    const statements = readFileSync(`db/migrations/${file}`, "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.replace(/^--.*$/gm, "").trim())
      .filter((s) => /^(INSERT INTO|DELETE FROM)/.test(s) || /SET NOT NULL/.test(s));
    expect(statements).toHaveLength(3);
    await asOwner(async (owner) => {
      for (const statement of statements) await owner.execute(sql.raw(statement));
      await owner.execute(
        sql`create unique index negotiated_rates_pair_year on negotiated_rates (reservataire_id, bailleur_id, year)`,
      );
    });

    const rows = (await db.select().from(negotiatedRates)).filter((r) => r.year !== 2031);
    const rate = (reservataireId: string, bailleurId: string, year: number) =>
      rows.find((r) => r.reservataireId === reservataireId && r.bailleurId === bailleurId && r.year === year)
        ?.rateBp;
    expect(rows.every((r) => r.year !== null && r.conventionId === null)).toBe(true);
    expect(rate(alsOrg.id, vilogia.id, 2026)).toBe(1850);
    expect(rate(alsOrg.id, vilogia.id, 2027)).toBe(2500);
    expect(rate(sicfOrg.id, icf.id, 2026)).toBe(1500);
    expect(rate(sicfOrg.id, icf.id, 2027)).toBe(1500);
    expect(rate(alsOrg.id, clesence.id, 2026)).toBeUndefined();
    expect(rate(alsOrg.id, clesence.id, 2027)).toBe(2000);
    // The published 2026 table is the one the letters were drawn from: ALS 19,8 % of 1 400 = 277 (259 + 18).
    const row = (await annexRows(db, 2026)).find((r) => r.bailleur.slug === "vilogia")!;
    expect(row.reservataires.action_logement).toMatchObject({ rateBp: 1980, rounded: 277 });
    expect(row.rights!.action_logement.rounded).toBe(259);
    expect(row.reservataires.action_logement.source.type).toBe("legacy");
  });
});

describe("one rounding per right, from the annex to the letter and the consumption", () => {
  it("gives ALS 92 on Clésence (H = 350) everywhere, and no rights nor letter from a draft forecast", async () => {
    await signBilaterale("action-logement", "clesence", 2630, { startYear: 2032, endYear: 2032 });
    await forecast("clesence", 2032, 350);
    await forecast("icf-habitat-nord-est", 2032, 195, "draft");
    await db
      .insert(assiettePublications)
      .values({ year: 2032, publishedAt: new Date("2032-02-27T10:00:00Z") });

    const annex = await annexRows(db, 2032);
    const clesence = annex.find((r) => r.bailleur.slug === "clesence")!;
    expect(clesence.reservataires.action_logement.rounded).toBe(92);
    expect(
      clesence.rights!.action_logement_retrocession.rounded + clesence.rights!.action_logement.rounded,
    ).toBe(92);
    expect(clesence.remainder).toBe(350 - 92 - 100 - 70);
    const icf = annex.find((r) => r.bailleur.slug === "icf-habitat-nord-est")!;
    expect(icf.forecast?.status).toBe("draft");
    expect(icf.rights).toBeNull();

    const result = await generateAvenants(await actorOf(als.user), { year: 2032 });
    expect(result.created).toBe(1);
    expect(result.refused).toEqual([
      {
        bailleur: expect.objectContaining({ slug: "icf-habitat-nord-est" }),
        reason: expect.stringMatching(
          /ICF Habitat Nord-Est n'a qu'un brouillon de prévision 2032 .* aucun courrier/,
        ),
      },
    ]);
    const consumption = await als.call(consumptionApi as never, "/api/v1/reports/consumption?year=2032");
    const line = (consumption.body as unknown as Array<{ bailleur: { name: string }; rights: number }>).find(
      (r) => r.bailleur.name === "Clésence",
    );
    expect(line?.rights).toBe(92);
  });
});

/** Every party of a convention signs it (its signataire). */
async function signByAll(conventionId: string) {
  const parties = await db
    .select({ organisationId: conventionSignatures.organisationId, slug: organisations.slug })
    .from(conventionSignatures)
    .innerJoin(organisations, eq(organisations.id, conventionSignatures.organisationId))
    .where(eq(conventionSignatures.conventionId, conventionId));
  for (const party of parties)
    await signConvention(await actorOf(await createUser(party.slug, ["signataire"])), conventionId, BASE_URL);
}

describe("the Département, activated by an avenant to the convention cadre (004 l.188–192)", () => {
  it("refuses its rate before the avenant, then gives it rights on the chosen bailleur only", async () => {
    const mel = await apiOf(await createUser("mel", ["gestionnaire"]));
    const departement = await apiOf(await createUser("departement-nord", ["signataire"]));
    const partenord = await organisation("partenord-habitat");
    const vilogia = await organisation("vilogia");
    const draft = (bailleurId: string) =>
      departement.call(createAction as never, "/api/v1/conventions", {
        method: "POST",
        body: {
          kind: "bilaterale",
          bailleurId,
          startYear: 2033,
          endYear: 2033,
          rateBp: 2000,
          management: "delegated",
          publics: PUBLICS,
        },
      });
    const before = await draft(partenord.id);
    expect(before.status).toBe(422);
    expect(before.body.message).toMatch(
      /^Le contingent du Département n'est pas activé sur Partenord Habitat en 2033 : il faut d'abord un avenant/,
    );

    expect(
      (
        await departement.call(createAction as never, "/api/v1/conventions", {
          method: "POST",
          body: { kind: "activation_departement", bailleurId: partenord.id, startYear: 2033, endYear: 2033 },
        })
      ).status,
    ).toBe(403);
    const activation = await mel.call(createAction as never, "/api/v1/conventions", {
      method: "POST",
      body: { kind: "activation_departement", bailleurId: partenord.id, startYear: 2033, endYear: 2033 },
    });
    expect(activation.status).toBe(201);
    // Drafted, not signed: still refused.
    expect((await draft(partenord.id)).status).toBe(422);
    await signByAll((activation.body as unknown as { id: string }).id);

    const created = await draft(partenord.id);
    expect(created.status).toBe(201);
    await signByAll((created.body as unknown as { id: string }).id);
    const pairs = await contingentPairs(undefined, { year: 2033, bailleurId: partenord.id });
    expect(pairs.find((p) => p.reservataire.kind === "departement")?.rateBp).toBe(2000);
    expect(await contingentPairs(undefined, { year: 2032, bailleurId: partenord.id })).not.toContainEqual(
      expect.objectContaining({ reservataire: expect.objectContaining({ kind: "departement" }) }),
    );
    // The avenant names Partenord Habitat only.
    expect((await draft(vilogia.id)).status).toBe(422);
  });
});

describe("the Département's signed bilatérale, once activated, gives letters and a contingent (issue 13, case 8)", () => {
  it("draws its letter on Partenord Habitat and takes attributions there, not on a bailleur without the avenant", async () => {
    const mel = await apiOf(await createUser("mel", ["gestionnaire"]));
    const departementUser = await createUser("departement-nord", ["signataire", "gestionnaire"]);
    const departement = await apiOf(departementUser);
    const partenord = await organisation("partenord-habitat");
    const convention = (who: Api, body: Record<string, unknown>) =>
      who.call(createAction as never, "/api/v1/conventions", {
        method: "POST",
        body: { bailleurId: partenord.id, startYear: 2025, endYear: 2025, ...body },
      });
    const activation = await convention(mel, { kind: "activation_departement" });
    await signByAll((activation.body as unknown as { id: string }).id);
    const bilaterale = await convention(departement, {
      kind: "bilaterale",
      rateBp: 2000,
      management: "delegated",
      publics: PUBLICS,
    });
    await signByAll((bilaterale.body as unknown as { id: string }).id);
    await publishYear(2025, { "partenord-habitat": { a: 500, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 } });

    const departementActor = await actorOf(departementUser);
    expect((await generateAvenants(departementActor, { year: 2025 })).created).toBe(1);
    const [letter] = await listAvenants(departementActor, 2025);
    expect(letter).toMatchObject({ bailleur: { name: "Partenord Habitat" }, fluxH: 500, rateBp: 2000 });
    expect(letter!.rights.rounded).toBe(100);

    const record = async (slug: string) =>
      (await apiOf(await createUser(slug, ["gestionnaire"]))).call(
        attributionsAction as never,
        "/api/v1/attributions",
        {
          method: "POST",
          body: { attributions: [attributionInput({ bailleurSlug: slug, contingent: "departement" })] },
        },
      );
    expect((await record("partenord-habitat")).body).toMatchObject({ created: 1 });
    const refused = await record("vilogia");
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      {
        index: 0,
        field: "contingent",
        message: expect.stringMatching(
          /^Vilogia n'a pas de convention ouvrant un contingent « Département »/,
        ),
      },
    ]);
  });
});

describe("a guaranteeing commune's share of the MEL's 20 % (004 l.178)", () => {
  it("is signed by the commune, the bailleur and the MEL, carved out of the MEL's rate, within 20 % together", async () => {
    const mel = await apiOf(await createUser("mel", ["gestionnaire"]));
    const vilogia = await organisation("vilogia");
    const partenord = await organisation("partenord-habitat");
    const roubaix = await organisation("commune-59512");
    const lille = await organisation("commune-59350");
    const share = (communeId: string, bailleurId: string, rateBp: number) =>
      mel.call(createAction as never, "/api/v1/conventions", {
        method: "POST",
        body: { kind: "part_communale", bailleurId, communeId, startYear: 2034, endYear: 2034, rateBp },
      });
    const created = await share(roubaix.id, vilogia.id, 500);
    expect(created.status).toBe(201);
    await signByAll((created.body as unknown as { id: string }).id);
    const [onVilogia] = await ratesOfYear(db, 2034, { bailleurId: vilogia.id });
    expect(onVilogia!.rates.mel).toBe(1500);
    expect(onVilogia!.communes).toEqual([expect.objectContaining({ id: roubaix.id, rateBp: 500 })]);
    // Reports keep the commune's share under the MEL's line.
    const pairs = await contingentPairs(undefined, { year: 2034, bailleurId: vilogia.id });
    expect(pairs.find((p) => p.reservataire.kind === "metropole")?.rateBp).toBe(2000);

    const tooMuch = await share(lille.id, vilogia.id, 1600);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.message).toMatch(
      /les collectivités feraient ensemble 21 % : .*Roubaix 5 %, Lille 16 %/,
    );
    expect((await share(lille.id, partenord.id, 500)).status).toBe(422);
  });
});
