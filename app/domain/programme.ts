/**
 * New programmes (1ère mise en service): 004 art. 8 (lines 292–298) and model convention art. 4.2 (lines 649–655).
 * "Dans un délai de 3 à 4 mois avant la 1ère mise en service d'un programme, les bailleurs transmettent aux
 * réservataires les caractéristiques de l'ensemble des logements et émettent une proposition de répartition [...]
 * respecter le principe d'équilibre entre réservataires pour la mobilisation de produits logement avec une faible
 * disponibilité (PMR, grandes typologies, PLAI...)" (004 l. 296); "la MEL consolide les informations des livraisons
 * à venir soit au semestre (1er janvier-30 juin ; 1er juillet-31 décembre) soit à l'année" (004 l. 298).
 */
import { tzOffset } from "@date-fns/tz";
import { PARIS } from "~/lib/dates";
import type { Financing, Typology } from "./housing";

/** Programmes are financed PLAI, PLUS or PLS (the FINANCINGS of app/domain/housing.ts a new programme uses). */
export const PROGRAMME_FINANCINGS = ["plai", "plus", "pls"] as const satisfies readonly Financing[];
export type ProgrammeFinancing = (typeof PROGRAMME_FINANCINGS)[number];

/** One kind of flat in a programme, and how many. */
export type FlatGroup = { typology: Typology; financing: ProgrammeFinancing; pmr: boolean; count: number };
export type FlatKind = Omit<FlatGroup, "count">;

/** A share of the flats: `reservataireId` null is the bailleur's own part, outside every contingent. */
export type Allocation = FlatKind & { reservataireId: string | null; count: number };

export const PROGRAMME_STATUS_LABELS = {
  announced: "Livraison annoncée",
  declared: "Déclaré aux réservataires",
  split_recorded: "Répartition arrêtée",
} as const;

/**
 * The most flats a programme may hold, in all as well as on one line: a large residence is a few hundred. Past it the
 * proposed split, which places flats one by one, would hold up the server (5 000 lines of 2 000 flats were merged
 * into one line of 10 000 000).
 */
export const MAX_PROGRAMME_FLATS = 2_000;

export const totalFlats = (flats: ReadonlyArray<{ count: number }>) =>
  flats.reduce((sum, f) => sum + f.count, 0);

export const flatKey = (f: FlatKind) => `${f.typology}|${f.financing}|${f.pmr ? "pmr" : "-"}`;

/** A large flat is T4 or more (004 l. 296, "grandes typologies"). */
const LARGE: readonly Typology[] = ["T4", "T5", "T6"];

/** How scarce a flat is: one point each for PMR, T4+ and PLAI (004 l. 296). */
export function scarcity(flat: FlatKind): number {
  return (flat.pmr ? 1 : 0) + (LARGE.includes(flat.typology) ? 1 : 0) + (flat.financing === "plai" ? 1 : 0);
}

/**
 * How many flats each party gets: rate × total, by the largest remainder (ties: the higher rate, then the order
 * given). The bailleur keeps what the rates leave (10 000 bp minus their sum).
 */
export function targetCounts(total: number, rates: Array<{ id: string | null; rateBp: number }>): number[] {
  const exact = rates.map((r) => total * r.rateBp);
  const counts = exact.map((e) => Math.floor(e / 10_000));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = rates
    .map((r, index) => ({ index, remainder: exact[index]! % 10_000, rateBp: r.rateBp }))
    .sort((a, b) => b.remainder - a.remainder || b.rateBp - a.rateBp || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    counts[index]! += 1;
    left -= 1;
  }
  return counts;
}

/**
 * The proposed split (004 l. 296): each réservataire gets its rate's share of the flats (largest remainder), the
 * bailleur the rest; the scarce flats (PMR, T4+, PLAI; the scarcest first) go one by one to the party furthest behind
 * its fair share of scarce flats so far (ties: the one with fewer scarce flats, then the higher share, then the order
 * given), and the ordinary flats fill what is left of each share.
 */
export function proposeSplit(
  flats: FlatGroup[],
  reservataires: Array<{ id: string; rateBp: number }>,
): Allocation[] {
  const reservedBp = reservataires.reduce((sum, r) => sum + r.rateBp, 0);
  const parties = [...reservataires, { id: null, rateBp: Math.max(0, 10_000 - reservedBp) }];
  const total = totalFlats(flats);
  const targets = targetCounts(total, parties);
  const given = parties.map(() => 0);
  const scarceGiven = parties.map(() => 0);
  const result = new Map<string, Allocation>();
  const give = (party: number, flat: FlatKind) => {
    const id = parties[party]!.id;
    const key = `${id ?? ""}#${flatKey(flat)}`;
    const existing = result.get(key);
    if (existing) existing.count += 1;
    else result.set(key, { ...flat, reservataireId: id, count: 1 });
    given[party]! += 1;
  };
  const units = flats
    .flatMap((f) => Array.from({ length: f.count }, () => f))
    .map((f, index) => ({ f, index, score: scarcity(f) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  let scarceSeen = 0;
  for (const { f, score } of units) {
    const open = parties.map((_, i) => i).filter((i) => given[i]! < targets[i]!);
    if (score === 0) {
      give(open[0]!, f);
      continue;
    }
    scarceSeen += 1;
    // Deficit × total, in integers: expected share of the scarce flats so far minus what the party received.
    const deficit = (i: number) => targets[i]! * scarceSeen - scarceGiven[i]! * total;
    const best = open.reduce((a, b) => {
      const byDeficit = deficit(b) - deficit(a);
      if (byDeficit !== 0) return byDeficit > 0 ? b : a;
      if (scarceGiven[b]! !== scarceGiven[a]!) return scarceGiven[b]! < scarceGiven[a]! ? b : a;
      return targets[b]! > targets[a]! ? b : a;
    });
    scarceGiven[best]! += 1;
    give(best, f);
  }
  return [...result.values()];
}

/**
 * French reasons why a final split cannot be recorded: every kind of flat must be shared out exactly (no more, no
 * less than the programme has), and only réservataires holding a contingent on the bailleur may receive flats.
 */
export function splitErrors(
  flats: FlatGroup[],
  allocations: Allocation[],
  entitled: ReadonlySet<string>,
): string[] {
  const errors: string[] = [];
  const expected = new Map(flats.map((f) => [flatKey(f), f.count]));
  const got = new Map<string, number>();
  for (const a of allocations) {
    if (!Number.isInteger(a.count) || a.count < 0)
      errors.push("Chaque part est un nombre entier de logements, positif ou nul.");
    if (a.reservataireId !== null && !entitled.has(a.reservataireId))
      errors.push(
        "Un réservataire sans contingent sur ce bailleur ne peut recevoir aucun logement : retirez-le de la répartition.",
      );
    const key = flatKey(a);
    if (!expected.has(key))
      errors.push(`Le programme ne compte aucun logement ${describeFlat(a)} : retirez cette ligne.`);
    got.set(key, (got.get(key) ?? 0) + a.count);
  }
  for (const f of flats) {
    const sum = got.get(flatKey(f)) ?? 0;
    if (sum !== f.count)
      errors.push(
        `Logements ${describeFlat(f)} : la répartition en compte ${sum}, le programme ${f.count}. Répartissez-les tous, ni plus ni moins.`,
      );
  }
  return [...new Set(errors)];
}

export function describeFlat(f: FlatKind): string {
  return `${f.typology} ${f.financing.toUpperCase()}${f.pmr ? " PMR" : ""}`;
}

/**
 * The last moment to declare a programme: the end of the day (Paris) three months before its first letting
 * (004 l. 296, "3 à 4 mois avant"); returned as the exclusive instant, like the avenants' deadline.
 */
export function declarationDueAt(firstLettingDate: string): Date {
  const [y, m, d] = firstLettingDate.split("-").map(Number) as [number, number, number];
  // Three months before, or the last day of that month when it is shorter (31 May → 28 February), counted on the
  // calendar; then midnight in Paris, with one time-zone lookup (a bailleur's calendar does this for each programme).
  // Paris changes its offset at 01:00 UTC, so the offset at 00:00 UTC of a day is the one at its Paris midnight.
  const lastDayThen = new Date(Date.UTC(y, m - 3, 0)).getUTCDate();
  const dayAfter = Date.UTC(y, m - 4, Math.min(d, lastDayThen) + 1);
  return new Date(dayAfter - tzOffset(PARIS, new Date(dayAfter)) * 60_000);
}

/** Declared less than three months before the first letting: the programme is flagged (004 l. 296). */
export function isLateDeclaration(firstLettingDate: string, declaredAt: Date): boolean {
  return declaredAt.getTime() >= declarationDueAt(firstLettingDate).getTime();
}

// ── Consolidation of deliveries by semester or year (004 l. 298) ───────────────────────────────────────────────

export type DeliveryPeriod = { year: number; half: 1 | 2 | null };

/** First and last day (inclusive, yyyy-MM-dd) of a semester (1 Jan–30 Jun, 1 Jul–31 Dec) or of the year. */
export function periodBounds(period: DeliveryPeriod): { from: string; to: string } {
  const y = period.year;
  if (period.half === 1) return { from: `${y}-01-01`, to: `${y}-06-30` };
  if (period.half === 2) return { from: `${y}-07-01`, to: `${y}-12-31` };
  return { from: `${y}-01-01`, to: `${y}-12-31` };
}

export type DeliveredProgramme = {
  communeInsee: string;
  communeName: string;
  bailleurName: string;
  firstLettingDate: string;
  flats: FlatGroup[];
};

type Totals = Record<string, number>;

/** Flats delivered in the period: programme and flat counts, totals per commune, bailleur, financing, typology. */
export function consolidateDeliveries(programmes: DeliveredProgramme[], period: DeliveryPeriod) {
  const { from, to } = periodBounds(period);
  const inPeriod = programmes.filter((p) => p.firstLettingDate >= from && p.firstLettingDate <= to);
  const byCommune: Totals = {};
  const byBailleur: Totals = {};
  const byFinancing: Totals = {};
  const byTypology: Totals = {};
  let flats = 0;
  let pmr = 0;
  const add = (totals: Totals, key: string, n: number) => {
    totals[key] = (totals[key] ?? 0) + n;
  };
  for (const p of inPeriod) {
    for (const f of p.flats) {
      flats += f.count;
      if (f.pmr) pmr += f.count;
      add(byCommune, p.communeName, f.count);
      add(byBailleur, p.bailleurName, f.count);
      add(byFinancing, f.financing, f.count);
      add(byTypology, f.typology, f.count);
    }
  }
  return {
    from,
    to,
    programmes: inPeriod.length,
    flats,
    pmr,
    byCommune,
    byBailleur,
    byFinancing,
    byTypology,
  };
}
