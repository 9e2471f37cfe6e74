import { formatParis } from "~/lib/dates";
import { assietteH, FORECAST_COLUMNS, type Forecast } from "./rights";

/**
 * Versions of a year's assiette (DESIGN §3 « A published assiette is frozen »; 004 l.146–150: the État compiles and
 * publishes the assiette). Version 1 is the publication; a forecast sent late, a column the État corrects or a rate
 * signed later changes nothing published: it waits for the next version, the rectificatif, which the État publishes
 * with its reason. What changed between two versions is computed here, the same for the page and the API.
 */

/** A bailleur's row as a version freezes it: the submitted forecast and the rates (basis points by contingent). */
export type FrozenRow = Forecast & { rates: Record<string, number> };

export type ColumnChange = { column: string; before: number | null; after: number };

/** One bailleur's changes since the last version: a row added (a late forecast) or changed (columns, H, rates). */
export type RowChange = { bailleurId: string; kind: "added" | "changed"; columns: ColumnChange[] };

const COLUMNS = FORECAST_COLUMNS.map((c) => c.key);

/** What differs between a bailleur's frozen row and its row today: A–G, H, then each contingent's rate. */
export function rowChange(
  bailleurId: string,
  before: FrozenRow | undefined,
  after: FrozenRow,
): RowChange | null {
  const columns: ColumnChange[] = [];
  const compare = (column: string, was: number | null, now: number) => {
    if (was !== now) columns.push({ column, before: was, after: now });
  };
  for (const key of COLUMNS) compare(key, before ? before[key] : null, after[key]);
  compare("h", before ? assietteH(before) : null, assietteH(after));
  const contingents = new Set([...Object.keys(before?.rates ?? {}), ...Object.keys(after.rates)]);
  for (const contingent of contingents)
    compare(
      `rate:${contingent}`,
      before ? (before.rates[contingent] ?? 0) : null,
      after.rates[contingent] ?? 0,
    );
  if (columns.length === 0) return null;
  return { bailleurId, kind: before ? "changed" : "added", columns };
}

/** Every row that the next version would add or change (rows only in `frozen` cannot happen: forecasts stay). */
export function pendingChanges(
  frozen: ReadonlyMap<string, FrozenRow>,
  current: ReadonlyMap<string, FrozenRow>,
): RowChange[] {
  return [...current].flatMap(([bailleurId, row]) => {
    const change = rowChange(bailleurId, frozen.get(bailleurId), row);
    return change ? [change] : [];
  });
}

/** A rectificatif is explained: the reason every party reads in its mail and on the page. */
export function rectifyReasonError(reason: unknown): string | null {
  if (typeof reason !== "string" || reason.trim().length < 10)
    return "Indiquez le motif du rectificatif (10 caractères au moins) : il est envoyé à chaque partenaire.";
  if (reason.length > 2000) return "Le motif du rectificatif tient en 2 000 caractères au plus.";
  return null;
}

/**
 * How a figure names the version it comes from: « assiette de référence 2026, version 1 (publiée le 27 février
 * 2026) » or « …, version 2 (rectificatif du 12 mars 2026) ». One wording for the annex, exports, letters and reports.
 */
export function versionLabel(v: { year: number; version: number; publishedAt: Date | string }): string {
  const day = formatParis(v.publishedAt, "d MMMM yyyy");
  return `assiette de référence ${v.year}, version ${v.version} (${v.version === 1 ? `publiée le ${day}` : `rectificatif du ${day}`})`;
}

/** The sentence naming where a report's contingents come from: the version in force, or none published yet. */
export function contingentSource(year: number, assiette: { versionLabel: string } | null): string {
  return assiette
    ? `Contingents d'après l'${assiette.versionLabel}.`
    : `L'assiette de référence ${year} n'est pas encore publiée.`;
}
