import { FORECAST_COLUMNS, ROUNDING_RULE } from "~/domain/rights";
import type { Actor } from "~/lib/actor.server";
import { toCsv, workbookXlsx } from "~/lib/spreadsheet.server";
import { annexJson, readableAnnex, versionParam, yearParam } from "./assiette.server";

type Annex = ReturnType<typeof annexJson>;

/** Annex 1's contingent columns, in its order (004 lines 504–506). */
const CONTINGENTS = [
  ["etat", "Contingent préfectoral (28,7 %)"],
  ["action_logement_retrocession", "Rétrocession État → ALS (1,3 %)"],
  ["action_logement", "Contingent Action Logement (hors rétrocession)"],
  ["sicf", "Contingent SICF"],
  ["mel", "Contingent MEL (20 %)"],
  ["departement", "Contingent Département du Nord (non activé)"],
] as const;

/**
 * Header and rows of the Annex 1 table: bailleur, A–G, H, then each contingent's rate, exact and rounded rights, and
 * the bailleur's own remainder.
 */
export function annexTable(annex: Annex): { header: string[]; rows: Array<Array<string | number | null>> } {
  const header = [
    "Bailleur",
    ...FORECAST_COLUMNS.map((c) => c.label),
    "(H = A − C − D − E − F − G) Assiette de référence du flux réservable",
    ...CONTINGENTS.flatMap(([, label]) => [`${label} — taux`, `${label} — exact`, `${label} — arrondi`]),
    "Contingent propre du bailleur (H moins les droits)",
  ];
  const keys = ["a", "b", "c", "d", "e", "f", "g"] as const;
  const rows: Array<Array<string | number | null>> = annex.rows.map((r) => [
    r.bailleur.name,
    ...keys.map((k) => r.forecast?.[k] ?? null),
    r.h,
    ...CONTINGENTS.flatMap(([key]) => {
      const right = r.rights[key] as { rateBp: number; exact: number | null; rounded: number | null };
      return [right.rateBp / 100, right.exact, right.rounded];
    }),
    r.remainder,
  ]);
  const sum = (index: number) =>
    rows.reduce((total, row) => total + (typeof row[index] === "number" ? (row[index] as number) : 0), 0);
  const totals: Array<string | number | null> = header.map((_, index) => {
    if (index === 0) return "TOTAL";
    const isRate = index > 8 && index < 9 + CONTINGENTS.length * 3 && (index - 9) % 3 === 0;
    if (isRate) return null;
    return Math.round(sum(index) * 1000) / 1000;
  });
  return { header, rows: [...rows, totals] };
}

/** Which version the figures come from (« Source : assiette de référence 2026, version 2 (rectificatif du …) »). */
const sourceOf = (annex: Annex) =>
  annex.versionLabel
    ? `Source : ${annex.versionLabel}${annex.reason ? `. Motif du rectificatif : ${annex.reason}` : ""}.`
    : `Source : assiette ${annex.year} non publiée (prévisions en cours, susceptibles de changer).`;

/**
 * CSV for Excel: `;` separator, decimal comma, UTF-8 BOM; the source (with a rectificatif's reason) and the rounding
 * rule under the table, as notes.
 */
export function annexCsv(annex: Annex): string {
  const { header, rows } = annexTable(annex);
  const cell = (v: string | number | null) =>
    v === null ? "" : typeof v === "number" ? String(v).replace(".", ",") : v;
  return toCsv({ header, body: rows.map((r) => r.map(cell)), notes: [sourceOf(annex), ROUNDING_RULE] });
}

/** One sheet: the table, its total row in bold, then the source and the rounding rule. */
export function annexXlsx(annex: Annex): Promise<Buffer> {
  const { header, rows } = annexTable(annex);
  const total = rows.at(-1) ?? [];
  return workbookXlsx([
    {
      name: `Assiette ${annex.year}`,
      rows: [{ bold: header }, ...rows.slice(0, -1), { bold: total }, [], [sourceOf(annex)], [ROUNDING_RULE]],
      widths: [32],
    },
  ]);
}

/** For the export routes: the actor (page session), the version asked for (`?version=N`), the rows it may read. */
export async function loadReadableAnnex(actor: Actor, url: string, param: string | undefined) {
  return annexJson(await readableAnnex(actor, yearParam(param), versionParam(url)));
}

/** The file name of an export: the year, and the version its figures come from. */
export const exportName = (annex: Annex, extension: string) =>
  `assiette-${annex.year}${annex.version ? `-v${annex.version}` : ""}.${extension}`;
