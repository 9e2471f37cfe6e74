import { TZDate } from "@date-fns/tz";
import { differenceInCalendarDays, getDaysInYear } from "date-fns";
import { PARIS } from "~/lib/dates";
import type { ReservataireKind } from "./rights";

/**
 * Consumption of reservation rights: for one réservataire × bailleur × year, the rights, the attributions counted on
 * them, what remains, the projection to 31 December and the sub-targets on the publics served. Pure rules.
 */

/**
 * THE counting rule (DESIGN §3 "Counting an attribution"; 004 l. 240: "pour le calcul des droits de réservations
 * n'entrent pas en jeu les attributions aux ménages du NPRU et les mutations internes des bailleurs. Sont en revanche
 * prises en compte les mutations entre bailleurs"; l. 416 note 19: counted "à la radiation de la DLS pour signature
 * de bail", refusals do not change it). An attribution counts on a réservataire's rights when its lease was signed
 * in the year, it is flagged `countsOnRights` (false outside the flux: NPRU, internal transfers, ORCOD, LHI and
 * sale rehousings, Annex 1 columns C–G; false too for the later record of one household leased the same day by two
 * bailleurs, until resolved) and its one contingent is held by that réservataire (`reservataireId`). The rollup
 * trigger (migration 0017) applies it, with the publics of app/domain/publics.ts.
 */
export const COUNTING_RULE =
  "Une attribution est décomptée à la signature du bail, sur un seul contingent ; les relogements NPRU, ORCOD, " +
  "LHI et pour vente et les mutations internes ne consomment pas de droits, les mutations entre bailleurs oui " +
  "(convention cadre, art. 5 et annexe 1). Un même ménage enregistré par deux bailleurs à la même date de bail " +
  "n'est décompté qu'une fois, le temps de lever le doublon.";

/** The kinds that hold a contingent: the réservataires of the convention cadre, and the communes (`commune`). */
export type HolderKind = ReservataireKind | "commune";

/** Counts of one réservataire × bailleur × year, all on the réservataire's rights (see COUNTING_RULE). */
export type ConsumptionCounts = {
  counted: number;
  /** Of which DALO-PDALHPD households (class `dalo_pdalhpd`, app/domain/publics.ts). */
  priority: number;
  /** Of which CIA target households (every class but `autres`). */
  ciaTargets: number;
  /** Of which MBC households (class `mbc`). */
  mbc: number;
  /** Of which on the État agents' contingent (`etat_agents`). */
  stateAgents: number;
};

export type SubTargetKey = "priority" | "ciaTargets" | "mbc" | "stateAgents";

export type SubTarget = {
  key: SubTargetKey;
  label: string;
  /** The households behind the share (masked with it for a commune when under 5). */
  count: MaskedCount;
  /** The share reached (0…1), or null when nothing is counted yet (not assessed). */
  share: number | null;
  bound: "min" | "max";
  threshold: number;
  /** Null when not assessed. */
  met: boolean | null;
};

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/**
 * The sub-targets of a contingent (all shares of attributions counted on it, except the État agents' ceiling):
 * - État: its whole contingent to labelled DALO-PDALHPD households (004 l. 244 and 331 "100 % du contingent
 *   préfectoral"), State agents apart, which may take at most 5 % of the flux H (004 l. 158 "30 % de l'assiette du
 *   flux annuel, dont au plus 5 % au bénéfice des agents"): priority share = priority ÷ (counted − agents) ≥ 100 %,
 *   agents ÷ H ≤ 5 %.
 * - MEL: ≥ 50 % CIA targets (004 l. 599–607, one attribution in two), of which, in shares of the contingent,
 *   ≥ 25 % labelled DALO-PDALHPD (l. 603) and ≥ 15 % labelled MBC (MEL deliberation, 004 l. 4585 "dont a minima
 *   15 % pour les mutations bloquées/complexes labellisées").
 * - ALS, Département and communes (collectivities): ≥ 25 % labelled DALO-PDALHPD (004 l. 246 and 332–333).
 * - SICF: none (its contingent serves SNCF staff, 004 l. 250; it is not among the contingents of l. 329–333).
 */
export function subTargetsFor(
  kind: HolderKind,
  counts: ConsumptionCounts,
  fluxH: number | null,
): SubTarget[] {
  const target = (
    key: SubTargetKey,
    label: string,
    value: number | null,
    bound: "min" | "max",
    threshold: number,
  ): SubTarget => ({
    key,
    label,
    count: counts[key],
    share: value,
    bound,
    threshold,
    met: value === null ? null : bound === "min" ? value >= threshold : value <= threshold,
  });
  const priorityLabel = "DALO-PDALHPD labellisés";
  if (kind === "etat")
    return [
      target(
        "priority",
        priorityLabel,
        share(counts.priority, counts.counted - counts.stateAgents),
        "min",
        1,
      ),
      target(
        "stateAgents",
        "Agents de l'État (part du flux)",
        share(counts.stateAgents, fluxH ?? 0),
        "max",
        0.05,
      ),
    ];
  if (kind === "metropole")
    return [
      target("ciaTargets", "Publics cibles CIA", share(counts.ciaTargets, counts.counted), "min", 0.5),
      target("priority", priorityLabel, share(counts.priority, counts.counted), "min", 0.25),
      target("mbc", "MBC labellisées", share(counts.mbc, counts.counted), "min", 0.15),
    ];
  if (kind === "sicf") return [];
  return [target("priority", priorityLabel, share(counts.priority, counts.counted), "min", 0.25)];
}

/** How far a year has gone: Europe/Paris calendar days elapsed (today included) and days in the year. */
export type YearProgress = { elapsed: number; days: number };

/**
 * The days of `year` elapsed at `now` and the days in the year. A past year is wholly elapsed; a future one not at
 * all. Computed once per report: Paris calendar arithmetic costs more than the rest of a row.
 */
export function yearProgress(year: number, now: Date): YearProgress {
  const today = new TZDate(now, PARIS);
  const days = getDaysInYear(new TZDate(year, 0, 1, PARIS));
  if (today.getFullYear() > year) return { elapsed: days, days };
  if (today.getFullYear() < year) return { elapsed: 0, days };
  return { elapsed: differenceInCalendarDays(today, new TZDate(year, 0, 1, PARIS)) + 1, days };
}

/**
 * Projection to 31 December at the current pace: counted ÷ days elapsed × days in the year, rounded to the nearest
 * attribution (a half up). A past year projects what was counted; a year not begun has no projection (null).
 */
export function projectedToYearEnd(counted: number, { elapsed, days }: YearProgress): number | null {
  if (elapsed === 0) return null;
  return Math.floor((counted * days) / elapsed + 0.5);
}

export type RightsSource = "avenant" | "provisional_avenant" | "provisional_assiette";

export type ConsumptionInput = {
  kind: HolderKind;
  /** Rights of the year and where they come from, or null when none are known (no letter, no published assiette). */
  rights: { value: number; source: RightsSource } | null;
  /** H, the bailleur's flux of the year (for the État agents' ceiling), when known. */
  fluxH: number | null;
  counts: ConsumptionCounts;
};

export type Consumption = {
  rights: number | null;
  /** True until the avenant is accepted or tacitly accepted ("provisoire"). */
  provisional: boolean;
  rightsSource: RightsSource | null;
  counted: number;
  /** Rights − counted (negative when the rights are exceeded); null without rights. */
  remaining: number | null;
  projected: number | null;
  /** The labelled DALO-PDALHPD share (for the État, of its contingent outside agents); null when nothing counted. */
  priorityShare: number | null;
  subTargets: SubTarget[];
  /**
   * Behind: the projection to 31 December falls short of the rights, or a sub-target assessed is missed (a
   * minimum share not reached, a ceiling exceeded).
   */
  behind: boolean;
  /** `exceeded` when more is counted than the rights (whatever the sub-targets), else `behind` or `on_track`. */
  state: ConsumptionState;
  reasons: string[];
};

export const CONSUMPTION_STATES = ["on_track", "behind", "exceeded"] as const;
export type ConsumptionState = (typeof CONSUMPTION_STATES)[number];
export const CONSUMPTION_STATE_LABELS: Record<ConsumptionState, string> = {
  on_track: "À jour",
  behind: "En retard",
  exceeded: "Dépassé",
};

/** The state as the table shows it: « Dépassé (+487) » says by how much (issue 15: ALS × LMH, 703 for 216). */
export function stateLabel(row: { state: ConsumptionState; remaining: number | null }): string {
  if (row.state === "exceeded" && row.remaining !== null) return `Dépassé (+${-row.remaining})`;
  return CONSUMPTION_STATE_LABELS[row.state];
}

const percent = (value: number) => `${Math.round(value * 1000) / 10} %`.replace(".", ",");

/** The consumption of one réservataire × bailleur in a year that has gone as far as `progress`. */
export function consumptionOf(input: ConsumptionInput, progress: YearProgress): Consumption {
  const { counts } = input;
  const rights = input.rights?.value ?? null;
  const projected = projectedToYearEnd(counts.counted, progress);
  const subTargets = subTargetsFor(input.kind, counts, input.fluxH);
  const reasons = reasonsOf(rights, projected, subTargets, false);
  const exceeded = rights !== null && counts.counted > rights;
  return {
    rights,
    provisional: input.rights !== null && input.rights.source !== "avenant",
    rightsSource: input.rights?.source ?? null,
    counted: counts.counted,
    remaining: rights === null ? null : rights - counts.counted,
    projected,
    priorityShare: subTargets.find((t) => t.key === "priority")?.share ?? null,
    subTargets,
    behind: reasons.length > 0,
    state: exceeded ? "exceeded" : reasons.length > 0 ? "behind" : "on_track",
    reasons,
  };
}

/** Why a row is behind; `maskProjection`: without the projection's figures (a commune, under 5 households). */
function reasonsOf(
  rights: number | null,
  projected: number | null,
  subTargets: SubTarget[],
  maskProjection: boolean,
): string[] {
  const reasons: string[] = [];
  if (rights !== null && projected !== null && projected < rights)
    reasons.push(
      maskProjection
        ? "Projection au 31 décembre inférieure aux droits."
        : `Projection au 31 décembre (${projected}) inférieure aux droits (${rights}).`,
    );
  for (const t of subTargets)
    if (t.met === false && t.share !== null)
      reasons.push(
        `${t.label} : ${percent(t.share)} (${t.bound === "min" ? "minimum" : "maximum"} ${percent(t.threshold)}).`,
      );
  return reasons;
}

/**
 * A consumption as a commune may see it (DESIGN §4: counts of 1–4 masked everywhere, texts included): the counted
 * and projected figures under 5 become « < 5 », and so does anything that would give them away — what remains, a
 * sub-target whose households are under 5 (its share, whether it is met, its reason: « DALO-PDALHPD labellisés :
 * 0 % » reveals a count of 0), the excess of an exceeded row.
 */
export function maskConsumption<T extends Consumption>(
  row: T,
): Omit<T, "counted" | "projected"> & { counted: MaskedCount; projected: MaskedCount | null } {
  const isSmall = (n: MaskedCount | null) => typeof n === "number" && n < SMALL_COUNT_THRESHOLD;
  const small = isSmall(row.counted);
  const subTargets = row.subTargets.map(
    (t): SubTarget =>
      small || isSmall(t.count) ? { ...t, count: SMALL_COUNT_LABEL, share: null, met: null } : t,
  );
  const reasons = reasonsOf(row.rights, row.projected, subTargets, small || isSmall(row.projected));
  return {
    ...row,
    counted: maskSmallCount(row.counted),
    projected: row.projected === null ? null : maskSmallCount(row.projected),
    remaining: small ? null : row.remaining,
    priorityShare: subTargets.find((t) => t.key === "priority")?.share ?? null,
    subTargets,
    reasons,
  };
}

/** Counts below this are shown to a commune as "< 5" (DESIGN §4: statistical secrecy on households). */
export const SMALL_COUNT_THRESHOLD = 5;
export const SMALL_COUNT_LABEL = "< 5";
export type MaskedCount = number | typeof SMALL_COUNT_LABEL;

/** A count as a commune may see it: below 5 households (0 included, as the issue says) it is "< 5". */
export function maskSmallCount(count: number): MaskedCount {
  return count < SMALL_COUNT_THRESHOLD ? SMALL_COUNT_LABEL : count;
}
