import { File } from "node:buffer";
import type { AttributionContingent } from "~/domain/attribution";
import { CONSTRUCTION_PERIODS } from "~/domain/housing";
import type { SignalementStatus } from "~/domain/signalement";
import type { SignalementEventInput } from "~/lib/signalement-schemas";
import { recordAttributions } from "~/models/attributions.server";
import { acceptDueAvenants, remindAvenants } from "~/models/avenants.server";
import { remindLateObligations } from "~/models/calendar.server";
import {
  attachDocuments,
  attachFrozenReports,
  conveneComite,
  createComite,
  publishReporting,
  recordMinutes,
} from "~/models/comites.server";
import {
  addCribCase,
  answerCribCase,
  createCribSession,
  followCribCase,
  publishCribSession,
} from "~/models/crib.server";
import { createProgramme, getProgramme, recommend, recordSplit } from "~/models/programmes.server";
import { createSignalement, recordSignalementEvent } from "~/models/signalements.server";
import { ANNEX1_BAILLEUR_ORDER, melCommunes } from "../organisations";
import { DEMO_H } from "./figures";
import type { Random } from "./random";
import type { World } from "./world.server";

/**
 * The demo world's activity: signalements of Lille, Roubaix and Tourcoing at every step, a CRIB session, twelve
 * months of attributions, programmes at each stage, comités, and the jobs' pass of today (tacit acceptances,
 * reminders) — every step through the model functions the pages call.
 */

const LILLE = "59350";
const SIGNALING_COMMUNES = [LILLE, "59512", "59599"];
const FOLLOWING_BAILLEURS = ["vilogia", "lille-metropole-habitat", "maisons-et-cites", "partenord-habitat"];

/** The steps that lead a signalement to each status (the bailleur records them; `closed` by the commune too). */
const PATHS: Record<SignalementStatus, SignalementEventInput["type"][]> = {
  sent: [],
  acknowledged: ["acknowledged"],
  searching: ["acknowledged", "searching"],
  presented_caleol: ["acknowledged", "searching", "presented_caleol"],
  caleol_decision: ["acknowledged", "presented_caleol", "caleol_decision"],
  lease_signed: ["acknowledged", "presented_caleol", "caleol_decision", "lease_signed"],
  refused_by_household: ["acknowledged", "searching", "refused_by_household"],
  not_retained: ["acknowledged", "not_retained"],
  closed: ["acknowledged", "searching", "closed"],
};

/** A numéro unique of the SNE shape (059, AAMM, order number, key): `serial` keeps them apart. */
const numeroUnique = (day: string, serial: number, key: string) =>
  `059${day.slice(2, 4)}${day.slice(5, 7)}${String(serial).padStart(7, "0")}${key}`;

/** The details each step carries, dated `day`. */
function detailsOf(type: SignalementEventInput["type"], day: string, random: Random, contingent: string) {
  switch (type) {
    case "presented_caleol":
      return {
        caleolDate: day,
        flatCommune: random.pick(SIGNALING_COMMUNES),
        flatTypology: random.pick(["T2", "T3", "T4"] as const),
      };
    case "caleol_decision":
      return { decision: "attribution" as const };
    case "lease_signed":
      return {
        signedOn: day,
        attribution: {
          qpv: random.chance(0.4),
          financing: "plai",
          pmr: false,
          firstLetting: false,
          constructionPeriod: random.pick(CONSTRUCTION_PERIODS),
          transfer: "none",
          contingent,
        },
      };
    case "refused_by_household":
      return { reason: "Logement trop éloigné de l'école des enfants." };
    case "not_retained":
      return { reason: "Ressources au-dessus des plafonds du logement proposé." };
    case "closed":
      return { closure: "rehoused_elsewhere" as const };
    default:
      return {};
  }
}

async function buildSignalements(world: World) {
  const { random } = world;
  let serial = 0;
  for (const [c, insee] of SIGNALING_COMMUNES.entries()) {
    const commune = await world.as(`commune-${insee}`, "gestionnaire");
    for (const [s, status] of (Object.keys(PATHS) as SignalementStatus[]).entries()) {
      serial += 1;
      const bailleur = FOLLOWING_BAILLEURS[(serial + c) % FOLLOWING_BAILLEURS.length]!;
      const steps = PATHS[status];
      // The further a signalement went, the older it is; the "sent" ones wait past the 15-day alert.
      let daysAgo = 20 + c * 9 + s * 4 + steps.length * 6 + random.int(0, 5);
      const created = await createSignalement(
        commune,
        {
          numeroUnique: numeroUnique(world.dayOf(daysAgo + 200), serial, "S"),
          adults: random.int(1, 2),
          children: random.int(0, 4),
          typology: random.pick(["T2", "T3", "T4", "T5"] as const),
          communesWanted: [insee, ...(random.chance(0.5) ? [LILLE] : [])].filter(
            (v, i, all) => all.indexOf(v) === i,
          ),
          publicCategory: random.pick([
            "dalo_labellise",
            "pdalhpd_labellise",
            "cible_cia_declaree",
            "autre",
          ] as const),
          incomeQuartile: random.int(1, 2),
          urgency: random.weighted({ normal: 6, urgent: 3, very_urgent: 1 }),
          reason: random.pick([
            "Logement actuel insalubre, arrêté du maire en cours.",
            "Famille hébergée chez un tiers depuis huit mois.",
            "Violences conjugales : relogement de la mère et des enfants.",
            "Sur-occupation : six personnes dans un T2.",
            "Perte d'autonomie : logement au 4e étage sans ascenseur.",
          ]),
          bailleurSlugs: [bailleur],
        },
        { baseUrl: world.baseUrl, now: world.daysAgo(daysAgo) },
      );
      const follower = await world.as(bailleur, "gestionnaire");
      const contingent = bailleur === "partenord-habitat" ? "etat" : "mel";
      for (const type of steps) {
        daysAgo -= random.int(3, 6);
        await recordSignalementEvent(
          follower,
          created.id,
          { type, ...detailsOf(type, world.dayOf(daysAgo), random, contingent) },
          { baseUrl: world.baseUrl, now: world.daysAgo(daysAgo) },
        );
      }
    }
  }
}

/** One CRIB session two weeks ago: four labelled MBC cases, answered by bailleurs, followed by the URH. */
async function buildCrib(world: World) {
  const { random } = world;
  const mel = await world.as("mel", "gestionnaire");
  const session = await createCribSession(mel, world.dayOf(14));
  const cases = [];
  for (const [index, origin] of [
    "vilogia",
    "lille-metropole-habitat",
    "maisons-et-cites",
    "sia-habitat",
  ].entries())
    cases.push(
      await addCribCase(mel, session.id, {
        numeroUnique: numeroUnique(world.dayOf(400), 900 + index, "C"),
        originBailleurSlug: origin,
        typology: random.pick(["T2", "T3", "T4"] as const),
        communesWanted: [random.pick(SIGNALING_COMMUNES)],
      }),
    );
  await publishCribSession(mel, session.id, world.baseUrl);
  for (const [index, found] of cases.entries())
    for (const bailleur of ["vilogia", "lille-metropole-habitat", "3f-notre-logis"]) {
      const hasSolution = (index + bailleur.length) % 2 === 0;
      await answerCribCase(await world.as(bailleur, "gestionnaire"), found.id, {
        hasSolution,
        ...(hasSolution ? { flatCommune: LILLE, flatTypology: "T3" as const } : {}),
      });
    }
  const urh = await world.as("urh", "gestionnaire");
  await followCribCase(urh, cases[0]!.id, { pilotBailleurSlug: "vilogia" }, world.baseUrl);
  await followCribCase(
    urh,
    cases[1]!.id,
    { pilotBailleurSlug: "lille-metropole-habitat", status: "rehoused" },
    world.baseUrl,
  );
}

/** Where the flats are: the big communes most, every commune of the MEL a little (some under 5: masked). */
function communeWeights(): Record<string, number> {
  const weights: Record<string, number> = Object.fromEntries(melCommunes().map((c) => [c.inseeCode!, 0.04]));
  const big = {
    [LILLE]: 30,
    "59512": 14,
    "59599": 12,
    "59009": 8,
    "59650": 5,
    "59378": 4,
    "59328": 3,
    "59360": 3,
    "59410": 3,
    "59163": 3,
    "59299": 3,
    "59017": 3,
    "59279": 2,
    "59368": 2,
    "59560": 2,
  };
  for (const [insee, weight] of Object.entries(big)) {
    if (!(insee in weights)) throw new Error(`Commune ${insee} absente de la MEL.`);
    weights[insee] = weight;
  }
  return weights;
}

/**
 * How often each contingent gets a lease on a bailleur. A year's leases number about 90 % of H, so a réservataire
 * on track gets its rate × 1,2 of them (the État and the MEL); Action Logement is behind (60 % of its rate), the
 * SICF over (150 %). The rest is outside every contingent.
 */
function contingentWeights(bailleur: string, year: number, world: World): Record<string, number> {
  const als: Record<string, number> = {
    vilogia: 1500,
    "lille-metropole-habitat": 1100,
    "maisons-et-cites": 1000,
    "partenord-habitat": 1400,
  };
  const lilleShare = bailleur === "lille-metropole-habitat" && year === world.year ? 200 : 0;
  const weights: Record<string, number> = {
    etat: 2870 * 1.2,
    action_logement_retrocession: 130 * 0.6,
    action_logement: (als[bailleur] ?? 0) * 0.6,
    sicf: bailleur === "icf-habitat-nord-est" ? 2500 * 1.5 : 0,
    mel: bailleur === "partenord-habitat" ? 0 : (2000 - lilleShare) * 1.2,
    commune: lilleShare * 1.2,
  };
  const used = Object.values(weights).reduce((sum, w) => sum + w, 0);
  return { ...weights, none: Math.max(0, 10_000 - used) };
}

const PUBLICS_OF: Partial<Record<AttributionContingent, Record<string, number>>> = {
  // The État's whole contingent goes to DALO-PDALHPD households (004 l.4577); the MEL's half to the CIA's targets,
  // of which 25 % DALO-PDALHPD and 15 % MBC at least (004 l.4585).
  etat: { dalo_labellise: 45, pdalhpd_labellise: 55 },
  mel: { dalo_labellise: 16, pdalhpd_labellise: 12, mbc_labellise: 18, cible_cia_declaree: 10, autre: 44 },
};
const OTHER_PUBLICS = { dalo_labellise: 15, pdalhpd_labellise: 12, cible_cia_declaree: 15, autre: 58 };

/** About 6 000 leases over the past twelve months, recorded by each bailleur in one batch (as its import would). */
async function buildAttributions(world: World) {
  const { random } = world;
  const communes = communeWeights();
  let serial = 0;
  for (const bailleur of ANNEX1_BAILLEUR_ORDER) {
    const rows = [];
    const count = Math.round(DEMO_H[bailleur]! * (0.85 + random.next() * 0.05));
    for (let i = 0; i < count; i++) {
      serial += 1;
      const day = world.dayOf(random.int(1, 365));
      const contingent = random.weighted(
        contingentWeights(bailleur, Number(day.slice(0, 4)), world),
      ) as AttributionContingent;
      const publicCategory = random.weighted(PUBLICS_OF[contingent] ?? OTHER_PUBLICS);
      const internal = contingent === "none" && random.chance(0.15);
      const npru = contingent === "none" && !internal && random.chance(0.1);
      rows.push({
        numeroUnique: numeroUnique(world.dayOf(random.int(400, 1500)), serial, "A"),
        leaseDate: day,
        bailleurSlug: bailleur,
        communeInsee: contingent === "commune" ? LILLE : random.weighted(communes),
        qpv: random.chance(0.3),
        typology: random.weighted({ T1: 10, T2: 25, T3: 35, T4: 20, T5: 8, T6: 2 }),
        financing: random.weighted({ plai: 25, plus: 60, pls: 12, pli: 3 }),
        pmr: random.chance(0.05),
        firstLetting: random.chance(0.06),
        constructionPeriod: random.pick(CONSTRUCTION_PERIODS),
        publicCategory: npru ? "npru" : publicCategory,
        transfer:
          internal || publicCategory === "mbc_labellise"
            ? internal
              ? "internal"
              : "inter_bailleur"
            : "none",
        incomeQuartile: random.weighted({ 1: 40, 2: 30, 3: 20, 4: 10 }),
        refusalsAfterCaleol: random.chance(0.1) ? 1 : 0,
        contingent,
        rehousing: npru ? "npru" : "none",
        eligibility:
          contingent === "sicf" ? "sncf_agent" : contingent === "action_logement" ? "peec_employee" : null,
      });
    }
    await recordAttributions(await world.as(bailleur, "gestionnaire"), rows, {
      source: "api",
      now: world.now,
    });
  }
}

/** Programmes at each stage: announced; declared (split proposed) with a recommendation; split recorded. */
const PROGRAMMES = [
  {
    bailleur: "vilogia",
    stage: "announced",
    programme: {
      communeInsee: "59599",
      name: "Résidence du Canal",
      address: "12 quai de Marseille, Tourcoing",
    },
    inDays: 240,
  },
  {
    bailleur: "lille-metropole-habitat",
    stage: "declared",
    programme: {
      communeInsee: "59512",
      name: "Les Jardins de l'Épeule",
      address: "45 rue de l'Épeule, Roubaix",
    },
    inDays: 150,
    recommendation: ["etat", "Réserver les deux T2 PLAI à des ménages DALO du secteur."],
  },
  {
    bailleur: "vilogia",
    stage: "split_recorded",
    programme: { communeInsee: LILLE, name: "Îlot Fives-Cail", address: "3 rue Pierre-Legrand, Lille" },
    inDays: 60,
    recommendation: ["mel", "Le T4 PMR à un ménage en mutation bloquée labellisé par la CRIB."],
  },
] as const;

async function buildProgrammes(world: World) {
  const flats = [
    { typology: "T2" as const, financing: "plai" as const, pmr: false, count: 6 },
    { typology: "T3" as const, financing: "plus" as const, pmr: false, count: 12 },
    { typology: "T4" as const, financing: "plus" as const, pmr: true, count: 4 },
  ];
  for (const p of PROGRAMMES) {
    const bailleur = await world.as(p.bailleur, "gestionnaire");
    const { id } = await createProgramme(
      bailleur,
      {
        ...p.programme,
        firstLettingDate: world.dayOf(-p.inDays),
        flats,
        announceOnly: p.stage === "announced",
      },
      { baseUrl: world.baseUrl, now: world.now },
    );
    if ("recommendation" in p) {
      const [reservataire, text] = p.recommendation;
      await recommend(await world.as(reservataire, "gestionnaire"), id, text);
    }
    if (p.stage !== "split_recorded") continue;
    // The bailleur records the split it was proposed, as its page offers.
    const proposed = (await getProgramme(bailleur, id)).proposedSplit;
    await recordSplit(bailleur, id, {
      allocations: proposed.map((a) => ({
        reservataire: a.reservataire?.slug ?? null,
        typology: a.typology,
        financing: a.financing,
        pmr: a.pmr,
        count: a.count,
      })),
    });
  }
}

/** Two comités: the last one, with its documents, minutes and reporting; the next one, next month, convened. */
async function buildComites(world: World) {
  const mel = await world.as("mel", "gestionnaire");
  const past = await createComite(mel, {
    heldOn: world.dayOf(45),
    heldTime: "14:30",
    place: "Hôtel de la Métropole, 2 boulevard des Cités Unies, Lille",
    agenda:
      "1. Consommation des contingents à mi-année.\n2. Bilan des signalements des communes.\n3. Questions diverses.",
    bailleurs: ["vilogia", "lille-metropole-habitat"],
  });
  await conveneComite(mel, past.id, world.baseUrl);
  await attachDocuments(mel, past.id, [
    new File(["Rubrique;Valeur\nAttributions;6000\n"], "ordre-du-jour-annexe.csv", {
      type: "text/csv",
    }) as unknown as globalThis.File,
  ]);
  await attachFrozenReports(mel, past.id, world.year, world.daysAgo(46));
  await recordMinutes(mel, past.id, {
    minutes:
      "Le comité constate un rythme conforme pour l'État et la MEL, un retard d'Action Logement et une avance de la SICF.",
    decisions: "Action Logement présentera un plan de rattrapage au prochain comité.",
  });
  await publishReporting(mel, past.id, world.baseUrl);
  const next = await createComite(mel, {
    heldOn: world.dayOf(-30),
    heldTime: "10:00",
    place: "Hôtel de la Métropole, Lille",
    agenda: "1. Plan de rattrapage d'Action Logement.\n2. Préparation de l'assiette de l'an prochain.",
    bailleurs: [],
  });
  await conveneComite(mel, next.id, world.baseUrl);
}

export async function buildActivity(world: World) {
  await buildAttributions(world);
  await buildSignalements(world);
  await buildCrib(world);
  await buildProgrammes(world);
  await buildComites(world);
  // Today's pass of the jobs, as the server's scheduler would run it: tacit acceptances, reminders.
  await acceptDueAvenants(world.now, world.baseUrl);
  await remindAvenants(world.now, world.baseUrl);
  await remindLateObligations(world.now, world.baseUrl);
}
