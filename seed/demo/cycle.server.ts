import { subMonths } from "date-fns";
import { and, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { avenants } from "#db/schema";
import { CADRE_SIGNATORY_KINDS, emptyFinancialAnnex, MEL_PUBLICS } from "~/domain/convention";
import type { BilateralInput } from "~/lib/convention-schemas";
import { publishAssiette, rectifyAssiette, saveForecast, validateForecast } from "~/models/assiette.server";
import {
  acceptAvenant,
  contestAvenant,
  generateAvenants,
  maintainAvenant,
  sendAvenant,
} from "~/models/avenants.server";
import { createConvention, signConvention } from "~/models/conventions.server";
import { ANNEX1_BAILLEUR_ORDER } from "../organisations";
import { DEMO_H, forecastFor, LATE_BAILLEUR } from "./figures";
import type { World } from "./world.server";

/**
 * The yearly cycle of the demo world: the convention cadre and the bilatérales signed, the assiette of each year
 * (forecasts, publication, the current year's rectificatif for a late bailleur), and the courriers valant avenant
 * in every state.
 */

const DIRECT_PUBLICS = { ciaTargetsPct: 50, daloPct: 25, mbcPct: 0 };

/** The convention period: the cadre 2024–2026 (004 l.60–120), stretched when today falls outside it. */
const periodOf = (world: World) => ({
  startYear: Math.min(2024, world.previousYear),
  endYear: Math.max(2026, world.year),
});

/** Every party signs, each by its own signataire, a few days apart (`signConvention` takes the date). */
async function signByAll(world: World, id: string, slugs: string[], daysAgo: number) {
  for (const [index, slug] of slugs.entries()) {
    const actor = await world.as(slug, "signataire");
    await signConvention(actor, id, world.baseUrl, world.daysAgo(daysAgo - index));
  }
}

async function signCadre(world: World) {
  const actor = await world.as("mel", "signataire");
  const cadre = await createConvention(actor, { kind: "cadre", ...periodOf(world) }, world.baseUrl);
  const signatories = ["mel", "etat", "departement-nord", "urh", "action-logement", "sicf"];
  // The cadre's parties are the organisations of its six signatory kinds (004 l.60–120).
  if (signatories.length !== CADRE_SIGNATORY_KINDS.length)
    throw new Error("Signataires du cadre incomplets.");
  await signByAll(world, cadre.id, signatories, 700);
}

/**
 * The bilatérales (model of Annex 2, 004 l.560–806): the MEL with Vilogia, the État with Lille Métropole Habitat,
 * Action Logement with four bailleurs (its own contingent beyond the 1,3 % rétrocession, 004 l.196–198), the SICF
 * with ICF Habitat Nord-Est (25 %, Annex 1's cap, 004 l.505); then Lille's guarantee share on Lille Métropole Habitat
 * (carved out of the MEL's 20 %, 004 l.178), from the current year.
 */
async function signBilaterales(world: World) {
  const bilaterales: Array<{ reservataire: string; bailleur: string; rateBp: number }> = [
    { reservataire: "mel", bailleur: "vilogia", rateBp: 2000 },
    { reservataire: "etat", bailleur: "lille-metropole-habitat", rateBp: 2870 },
    { reservataire: "action-logement", bailleur: "vilogia", rateBp: 1630 },
    { reservataire: "action-logement", bailleur: "lille-metropole-habitat", rateBp: 1230 },
    { reservataire: "action-logement", bailleur: "maisons-et-cites", rateBp: 1130 },
    { reservataire: "action-logement", bailleur: "partenord-habitat", rateBp: 1530 },
    { reservataire: "sicf", bailleur: "icf-habitat-nord-est", rateBp: 2500 },
  ];
  for (const [index, b] of bilaterales.entries()) {
    const reservataire = world.org(b.reservataire);
    const isMel = reservataire.kind === "metropole";
    const input: BilateralInput = {
      kind: "bilaterale",
      bailleurId: world.org(b.bailleur).id,
      ...periodOf(world),
      rateBp: b.rateBp,
      management: isMel ? "delegated" : "direct",
      publics: isMel
        ? MEL_PUBLICS
        : reservataire.kind === "sicf"
          ? { ...DIRECT_PUBLICS, daloPct: 0 }
          : DIRECT_PUBLICS,
      ...(isMel
        ? {
            financialAnnex: {
              ...emptyFinancialAnnex(),
              guaranteeRatePct: 100,
              subsidies: {
                plai: { totalEur: 1_250_000, paidEur: 900_000 },
                plus: { totalEur: 640_000, paidEur: 640_000 },
              },
            },
          }
        : {}),
    };
    const drafter = await world.as(b.reservataire, "signataire");
    const created = await createConvention(drafter, input, world.baseUrl);
    await signByAll(world, created.id, [b.reservataire, b.bailleur], 650 - index * 5);
  }
  const share = await createConvention(
    await world.as("mel", "signataire"),
    {
      kind: "part_communale",
      bailleurId: world.org("lille-metropole-habitat").id,
      communeId: world.org("commune-59350").id,
      startYear: world.year,
      endYear: periodOf(world).endYear,
      rateBp: 200,
    },
    world.baseUrl,
  );
  await signByAll(world, share.id, ["mel", "commune-59350", "lille-metropole-habitat"], 400);
}

/**
 * One year's assiette: the bailleurs' forecasts (submitted), some validated by the État, and the publication. The
 * bailleurs in `late` submit after the publication; the État publishes them in a rectificatif (decision 0009).
 */
async function publishYear(
  world: World,
  year: number,
  dates: { forecasts: Date; publication: Date; rectificatif?: Date },
  late: string[] = [],
) {
  const etat = await world.as("etat", "gestionnaire");
  const submit = async (slug: string, now: Date) => {
    const saved = await saveForecast(await world.as(slug, "gestionnaire"), {
      year,
      values: forecastFor(DEMO_H[slug]!, world.random),
      submit: true,
      now,
    });
    return saved.forecast.id;
  };
  for (const slug of ANNEX1_BAILLEUR_ORDER.filter((s) => !late.includes(s))) {
    const id = await submit(slug, dates.forecasts);
    if (world.random.chance(0.7))
      await validateForecast(etat, { year, forecastId: id, now: dates.forecasts });
  }
  await publishAssiette(await world.as("etat", "signataire"), {
    year,
    confirmIncomplete: late.length > 0,
    baseUrl: world.baseUrl,
    now: dates.publication,
  });
  if (!dates.rectificatif) return;
  for (const slug of late) await submit(slug, dates.rectificatif);
  await rectifyAssiette(await world.as("etat", "signataire"), {
    year,
    reason: `Prévision ${year} transmise après la publication par ${late.map((s) => world.org(s).name).join(", ")}.`,
    baseUrl: world.baseUrl,
    now: dates.rectificatif,
  });
}

/** What becomes of a letter (its state today). */
type LetterPlan = "draft" | "due_next_week" | "accepted" | "contested" | "maintained" | "tacit";

/** Longer than any two months: a letter sent that long ago is past its period. */
const PAST_PERIOD_DAYS = 73;

/** The letters of `year` of one réservataire: generated, then each moved to its planned state at dated steps. */
async function lettersOf(
  world: World,
  reservataire: string,
  year: number,
  planOf: (slug: string) => LetterPlan,
) {
  const signataire = await world.as(reservataire, "signataire");
  await generateAvenants(signataire, { year });
  const letters = await db
    .select({ id: avenants.id, bailleurId: avenants.bailleurId })
    .from(avenants)
    .where(and(eq(avenants.reservataireId, world.org(reservataire).id), eq(avenants.year, year)));
  const slugOf = (bailleurId: string) => ANNEX1_BAILLEUR_ORDER.find((s) => world.org(s).id === bailleurId)!;
  const closed = year < world.year;
  // In Annex 1's order, not the database's: the random draws, hence the world, must not depend on it.
  const ordered = letters
    .map((letter) => ({ ...letter, bailleur: slugOf(letter.bailleurId) }))
    .sort((x, y) => ANNEX1_BAILLEUR_ORDER.indexOf(x.bailleur) - ANNEX1_BAILLEUR_ORDER.indexOf(y.bailleur));
  for (const { bailleur, ...letter } of ordered) {
    const plan = planOf(bailleur);
    if (plan === "draft") continue;
    const send = (daysAgo: number) =>
      sendAvenant(signataire, { id: letter.id, baseUrl: world.baseUrl, now: world.daysAgo(daysAgo) });
    const answerer = await world.as(bailleur, "signataire");
    // The closed year's letters were sent in its spring; the current year's around today.
    const base = closed ? world.daysAgo(0).getTime() - new Date(`${year}-05-10T10:00:00Z`).getTime() : 0;
    const ago = (days: number) => Math.round(base / 86_400_000) + days;
    if (plan === "due_next_week")
      // Sent two months before the sixth day to come: its period ends within the week (app/domain/deadline.ts).
      await sendAvenant(signataire, {
        id: letter.id,
        baseUrl: world.baseUrl,
        now: subMonths(world.daysAgo(-6), 2),
      });
    else if (plan === "tacit") await send(ago(PAST_PERIOD_DAYS));
    else {
      await send(ago(50));
      if (plan === "accepted")
        await acceptAvenant(answerer, {
          id: letter.id,
          baseUrl: world.baseUrl,
          now: world.daysAgo(ago(50 - 9)),
        });
      else if (plan === "contested")
        // H is contested: the État answers (a rectificatif, or H maintained); the letter waits for it.
        await contestAvenant(answerer, {
          id: letter.id,
          part: "h",
          reason: `Notre prévision ${year} compte des relogements NPNRU (colonne D) que l'assiette n'a pas retirés : H est surestimée.`,
          baseUrl: world.baseUrl,
          now: world.daysAgo(ago(40)),
        });
      else {
        // The rate is contested and maintained by the réservataire: the letter is sent again, with the thread.
        await contestAvenant(answerer, {
          id: letter.id,
          part: "rate",
          reason: `Le taux ne tient pas compte des logements que nous avons déjà attribués à vos publics en ${year - 1} hors convention : nous demandons 18 %.`,
          baseUrl: world.baseUrl,
          now: world.daysAgo(ago(40)),
        });
        await maintainAvenant(signataire, {
          id: letter.id,
          reply:
            "Nous maintenons le taux de 20 %, fixé par la convention cadre pour tous les bailleurs garantis par la MEL.",
          baseUrl: world.baseUrl,
          now: world.daysAgo(ago(35)),
        });
      }
    }
  }
}

/** The day of `year` at 10:00 UTC (a working morning in Paris). */
const on = (year: number, monthDay: string) => new Date(`${year}-${monthDay}T10:00:00Z`);
/** The earlier of two dates: the current year's steps stay in the past whatever today is. */
const earlier = (a: Date, b: Date) => (a < b ? a : b);

export async function buildCycle(world: World) {
  await signCadre(world);
  await signBilaterales(world);

  const previous = world.previousYear;
  await publishYear(world, previous, {
    forecasts: on(previous, "01-20"),
    publication: on(previous, "02-20"),
  });
  const publication = earlier(on(world.year, "02-20"), world.daysAgo(120));
  await publishYear(
    world,
    world.year,
    {
      forecasts: new Date(publication.getTime() - 25 * 86_400_000),
      publication,
      rectificatif: earlier(on(world.year, "03-20"), world.daysAgo(100)),
    },
    [LATE_BAILLEUR],
  );

  // The closed year: every letter answered, most tacitly (the job's pass of today accepts them), some expressly.
  for (const reservataire of ["etat", "mel", "action-logement", "sicf"])
    await lettersOf(world, reservataire, previous, () => (world.random.chance(0.2) ? "accepted" : "tacit"));
  // The current year: letters in every state; Vilogia's from the MEL due next week (README).
  const CYCLE: LetterPlan[] = [
    "accepted",
    "tacit",
    "due_next_week",
    "contested",
    "accepted",
    "draft",
    "maintained",
  ];
  await lettersOf(world, "mel", world.year, (slug) =>
    slug === "vilogia" ? "due_next_week" : CYCLE[ANNEX1_BAILLEUR_ORDER.indexOf(slug) % CYCLE.length]!,
  );
  await lettersOf(world, "etat", world.year, (slug) =>
    ANNEX1_BAILLEUR_ORDER.indexOf(slug) % 4 === 0 ? "tacit" : "accepted",
  );
  await lettersOf(world, "action-logement", world.year, (slug) => (slug === "vilogia" ? "draft" : "tacit"));
  await lettersOf(world, "sicf", world.year, () => "accepted");
}
