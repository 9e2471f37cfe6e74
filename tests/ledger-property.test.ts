import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import type { ReservataireKind } from "~/domain/rights";
import type { Actor } from "~/lib/actor.server";
import { annexRows, publishAssiette, rectifyAssiette, saveForecast } from "~/models/assiette.server";
import { generateAvenants, listAvenants } from "~/models/avenants.server";
import { consumptionReport } from "~/models/reports.server";
import { actorOf, BASE_URL, createUser } from "./helpers/fixtures";
import { seededRandom } from "./helpers/seeded-random";
import { signBilaterale } from "./helpers/signed-rates";

/**
 * The ledger's property through the database (issue 13, DESIGN §3): random forecasts (some left as drafts, one sent
 * late into a rectificatif) and random signed rates — up to the ceilings, where rounding could push the rights past
 * H — published; then on every bailleur the rights never exceed H, and the annex, the letters and the consumption
 * report give each réservataire the same right. Seeded; LEDGER_SEED=… replays.
 */
const { seed, random, upTo } = seededRandom("LEDGER_SEED", "ledger");
const ROUNDS = 6;
const BAILLEURS = ["icf-habitat-nord-est", "vilogia", "partenord-habitat", "clesence", "cdc-habitat"];
/** The réservataires that write letters, by the organisation that signs them. */
const RESERVATAIRES: Array<[slug: string, kind: ReservataireKind]> = [
  ["etat", "etat"],
  ["action-logement", "action_logement"],
  ["mel", "metropole"],
  ["sicf", "sicf"],
];

const actors = new Map<string, Actor>();
async function actor(slug: string): Promise<Actor> {
  if (!actors.has(slug))
    actors.set(slug, await actorOf(await createUser(slug, ["signataire", "gestionnaire"])));
  return actors.get(slug)!;
}

/** Small H half the time: near 100 % of H, that is where one rounding per holder could exceed it. */
const randomH = () => (random() < 0.5 ? 1 + upTo(12) : upTo(2500));
/**
 * A rate at its ceiling most of the time (ALS 26,3 % with its rétrocession; the SICF 25 %: with the État and the MEL,
 * 100 % of ICF Habitat Nord-Est), else anything up to it.
 */
const randomRate = (ceiling: number) => (random() < 0.7 ? ceiling : 100 + upTo(ceiling - 100));

async function submitForecast(slug: string, year: number, submit: boolean) {
  const c = upTo(50);
  const a = randomH() + c;
  await saveForecast(await actor(slug), {
    year,
    values: { a, b: upTo(Math.min(20, a)), c, d: 0, e: 0, f: 0, g: 0 },
    submit,
  });
}

/** A rate signed by both parties; one that would break a ceiling is refused (422) and leaves nothing. */
async function signRate(reservataire: string, bailleur: string, rateBp: number, year: number) {
  try {
    await signBilaterale(reservataire, bailleur, rateBp, { startYear: year, endYear: year });
  } catch (error) {
    if (!(error instanceof Response && error.status === 422)) throw error;
  }
}

/** The year's figures as the annex, each réservataire's current letters and its consumption report give them. */
async function expectAgreement(year: number, context: string) {
  const annex = await annexRows(db, year);
  for (const row of annex) {
    const where = `${context}, ${row.bailleur.slug}`;
    if (row.forecast?.status !== "submitted") {
      expect(row.rights, where).toBeNull();
      continue;
    }
    const h = row.forecast.h;
    const rights = [
      ...Object.values(row.reservataires).map((r) => r.rounded ?? 0),
      ...row.communes.map((c) => c.rounded ?? 0),
    ];
    expect(row.remainder, where).toBeGreaterThanOrEqual(0);
    expect(rights.reduce((sum, r) => sum + r, 0) + row.remainder!, where).toBe(h);
    expect(
      row.rights!.action_logement_retrocession.rounded + row.rights!.action_logement.rounded,
      where,
    ).toBe(row.reservataires.action_logement.rounded);
  }
  for (const [slug, kind] of RESERVATAIRES) {
    const who = await actor(slug);
    const letters = (await listAvenants(who, year)).filter((l) => l.status !== "replaced");
    const consumption = await consumptionReport(who, year);
    const expected = annex.filter(
      (r) => r.forecast?.status === "submitted" && r.reservataires[kind].rateBp > 0,
    );
    expect(letters.map((l) => l.bailleur.name).sort(), `${context}, ${slug}`).toEqual(
      expected.map((r) => r.bailleur.name).sort(),
    );
    for (const row of expected) {
      const where = `${context}, ${slug} on ${row.bailleur.slug}`;
      const right = row.reservataires[kind].rounded;
      const letter = letters.find((l) => l.bailleur.id === row.bailleur.id)!;
      expect({ h: letter.fluxH, rights: letter.rights.rounded }, where).toEqual({
        h: row.forecast!.h,
        rights: right,
      });
      const line = consumption.find(
        (c) => c.reservataire.id === who.organisation.id && c.bailleur.id === row.bailleur.id,
      );
      expect(line?.rights, where).toBe(right);
    }
  }
}

describe("random forecasts and signed rates, published and rectified", () => {
  it(`give rights within H on which the annex, the letters and the consumption agree (seed ${seed})`, async () => {
    const etat = await actor("etat");
    for (let round = 0; round < ROUNDS; round++) {
      const year = 2060 + round;
      const context = `seed ${seed}, round ${round} (${year})`;
      const [late, ...onTime] = BAILLEURS;
      for (const slug of onTime) await submitForecast(slug, year, random() < 0.8);
      await signRate("sicf", "icf-habitat-nord-est", randomRate(2500), year);
      for (const slug of BAILLEURS)
        if (slug === late || random() < 0.6) await signRate("action-logement", slug, randomRate(2630), year);

      await publishAssiette(etat, { year, confirmIncomplete: true, baseUrl: BASE_URL });
      for (const [slug] of RESERVATAIRES) await generateAvenants(await actor(slug), { year });
      await expectAgreement(year, `${context}, version 1`);

      // ICF Habitat Nord-Est's forecast comes late: version 2, its letters are new, the others keep theirs.
      await submitForecast(late!, year, true);
      await rectifyAssiette(etat, {
        year,
        reason: "Prévision transmise après la publication.",
        baseUrl: BASE_URL,
      });
      for (const [slug] of RESERVATAIRES) await generateAvenants(await actor(slug), { year });
      await expectAgreement(year, `${context}, version 2`);
    }
  });
});
