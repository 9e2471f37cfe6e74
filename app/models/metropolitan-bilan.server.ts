import { sql } from "drizzle-orm";
import { queryRows } from "#db/client.server";
import { attributions, organisations, qpvs } from "#db/schema";
import { ATTRIBUTION_CONTINGENT_LABELS, type AttributionContingent } from "~/domain/attribution";
import { FIRST_QUARTILE_OUTSIDE_QPV_TARGET } from "~/domain/bilan";
import { type MaskedCount, maskSmallCount } from "~/domain/consumption";
import { PUBLIC_CLASSES, type PublicClass } from "~/domain/publics";
import type { Actor } from "~/lib/actor.server";
import { DomainError } from "~/lib/domain-error";
import { consumptionFiltersSchema } from "~/lib/report-schemas";
import { type Sheet, type SheetRow, workbookXlsx } from "~/lib/spreadsheet.server";
import { parseReportFilters } from "./reports.server";

/**
 * The metropolitan bilan for the CIL (004 Titre 5, l. 449–459): every attribution of the year by the one
 * classification of publics (app/domain/publics.ts, applied in SQL by `attribution_public_class`) crossed with
 * income quartile, QPV, quartile × QPV, quartier (the QPV named from the MEL's referential, decision 0025), contingent
 * (l. 459 « l'analyse des contingents »), bailleur and commune, in one GROUPING SETS query. Read by the comité de suivi
 * (the policy's `MetropolitanBilan`: MEL, État, Département, URH); its communes' version (comité reporting) masks
 * every count under 5. A household two bailleurs recorded
 * on one lease date counts once (`counted_elsewhere`, as in consumption and the indicators).
 */

export const BILAN_DIMENSIONS = {
  quartile: "Quartile de ressources",
  qpv: "QPV",
  quartileQpv: "Quartile × QPV",
  quartier: "Quartier",
  contingent: "Contingent",
  bailleur: "Bailleur",
  commune: "Commune",
} as const;
type Dimension = keyof typeof BILAN_DIMENSIONS;

export type BilanCell = { dimension: Dimension; value: string; publicClass: PublicClass; n: number };

/** grouping(quartile, qpv, qpv code, contingent, bailleur, commune): a bit set for each column aggregated away. */
const SET_OF: Record<number, Dimension> = {
  31: "quartile",
  47: "qpv",
  15: "quartileQpv",
  39: "quartier",
  59: "contingent",
  61: "bailleur",
  62: "commune",
};

const quartileLabel = (q: number | null) =>
  q === null ? "Quartile non renseigné" : q === 1 ? "1er quartile" : `${q}e quartile`;
const publicClass = sql`attribution_public_class(a.public_category, a.rehousing)`;
const qpvLabel = (qpv: boolean | null) => (qpv ? "En QPV" : "Hors QPV");
/** A quartier's row: its name and commune; « QPV non renseigné » for a flat en QPV recorded without its code. */
const quartierLabel = (qpv: boolean | null, name: string | null, commune: string | null) =>
  !qpv ? qpvLabel(false) : name ? `${name} (${commune})` : "QPV non renseigné";

export async function metropolitanBilan(actor: Actor, year: number): Promise<BilanCell[]> {
  if (!actor.ability.can("read", "MetropolitanBilan"))
    throw new DomainError(
      "forbidden",
      "Le bilan métropolitain est réservé au comité de suivi (MEL, État, Département, URH).",
    );
  const rows = await queryRows<{
    set: number;
    quartile: number | null;
    qpv: boolean | null;
    qpv_name: string | null;
    qpv_commune: string | null;
    contingent: AttributionContingent | null;
    bailleur: string | null;
    commune: string | null;
    public_class: PublicClass;
    n: number;
  }>(sql`
    select
      grouping(a.income_quartile, a.qpv, a.qpv_code, a.contingent, o.name, coalesce(c.name, a.commune_insee))::int
        as set,
      a.income_quartile as quartile, a.qpv, q.name as qpv_name, coalesce(qc.name, q.commune_insee) as qpv_commune,
      a.contingent, o.name as bailleur, coalesce(c.name, a.commune_insee) as commune,
      ${publicClass} as public_class, count(*)::int as n
    from ${attributions} a
    join ${organisations} o on o.id = a.bailleur_id
    left join ${organisations} c on c.insee_code = a.commune_insee
    left join ${qpvs} q on q.code = a.qpv_code
    left join ${organisations} qc on qc.insee_code = q.commune_insee
    where a.lease_date >= ${`${year}-01-01`} and a.lease_date < ${`${year + 1}-01-01`}
      and not a.counted_elsewhere
    group by grouping sets (
      (a.income_quartile, ${publicClass}), (a.qpv, ${publicClass}), (a.income_quartile, a.qpv, ${publicClass}),
      (a.qpv, a.qpv_code, q.name, coalesce(qc.name, q.commune_insee), ${publicClass}),
      (a.contingent, ${publicClass}), (o.name, ${publicClass}),
      (coalesce(c.name, a.commune_insee), ${publicClass}))
    order by set, quartile, qpv, qpv_commune, qpv_name, contingent, bailleur, commune, public_class`);
  const cells: BilanCell[] = [];
  for (const r of rows) {
    const dimension = SET_OF[r.set];
    if (!dimension) continue;
    const value = {
      quartile: () => quartileLabel(r.quartile),
      qpv: () => qpvLabel(r.qpv),
      quartileQpv: () => `${quartileLabel(r.quartile)} — ${qpvLabel(r.qpv)}`,
      quartier: () => quartierLabel(r.qpv, r.qpv_name, r.qpv_commune),
      contingent: () => ATTRIBUTION_CONTINGENT_LABELS[r.contingent ?? "none"],
      bailleur: () => r.bailleur ?? "",
      commune: () => r.commune ?? "",
    }[dimension]();
    cells.push({ dimension, value, publicClass: r.public_class, n: r.n });
  }
  return cells;
}

/**
 * The share of first-quartile households among the attributions outside QPV (loi Égalité et Citoyenneté target,
 * ≥ 25 %), or null without attributions outside QPV; hidden (null) in the masked version when its counts are < 5.
 */
export function firstQuartileOutsideQpv(cells: BilanCell[], mask: boolean) {
  const outside = cells.filter((c) => c.dimension === "qpv" && c.value === qpvLabel(false));
  const total = outside.reduce((s, c) => s + c.n, 0);
  const first = cells
    .filter((c) => c.dimension === "quartileQpv" && c.value === `${quartileLabel(1)} — ${qpvLabel(false)}`)
    .reduce((s, c) => s + c.n, 0);
  const hidden = mask && (maskSmallCount(total) !== total || maskSmallCount(first) !== first);
  return { share: total > 0 && !hidden ? first / total : null, target: FIRST_QUARTILE_OUTSIDE_QPV_TARGET };
}

const TOTAL_HIDDEN = "masqué";

/**
 * The rows of one dimension: its values, the count of each public and the total; counts under 5 masked if `mask`,
 * and then a row's total goes with them (it would give the masked cells away: total − the others).
 */
function dimensionRows(cells: BilanCell[], dimension: Dimension, mask: boolean) {
  const shown = (n: number): MaskedCount => (mask ? maskSmallCount(n) : n);
  const values = [...new Set(cells.filter((c) => c.dimension === dimension).map((c) => c.value))];
  return values.map((value) => {
    const counts = PUBLIC_CLASSES.map(
      (p) =>
        cells.find((c) => c.dimension === dimension && c.value === value && c.publicClass === p.key)?.n ?? 0,
    );
    const total = counts.reduce((a, b) => a + b, 0);
    const hides = mask && counts.some((n) => maskSmallCount(n) !== n);
    return { value, counts: counts.map(shown), total: hides ? TOTAL_HIDDEN : shown(total) };
  });
}

/**
 * For the bilans page of whoever reads the whole metropolitan bilan (null for the others): the first-quartile share
 * outside QPV of `year` beside its target, and the attributions by quartier prioritaire.
 */
export async function metropolitanBilanSummary(actor: Actor, year: number) {
  if (!actor.ability.can("read", "MetropolitanBilan")) return null;
  const cells = await metropolitanBilan(actor, year);
  return {
    firstQuartile: firstQuartileOutsideQpv(cells, false),
    publics: PUBLIC_CLASSES.map((p) => p.label),
    byQuartier: dimensionRows(cells, "quartier", false),
  };
}

/** One sheet per dimension: rows its values, columns the publics and the total; counts under 5 masked if `mask`. */
export async function metropolitanBilanXlsx(
  actor: Actor,
  year: number,
  options: { mask: boolean },
): Promise<Buffer> {
  const cells = await metropolitanBilan(actor, year);
  const sheets = (Object.entries(BILAN_DIMENSIONS) as Array<[Dimension, string]>).map(
    ([dimension, label]): Sheet => {
      const rows: SheetRow[] = [{ bold: [`Bilan métropolitain ${year} — ${label}`] }];
      if (options.mask)
        rows.push([
          `Effectifs de 0 à 4 masqués (« < 5 ») : secret statistique ; total « ${TOTAL_HIDDEN} » quand il les révélerait.`,
        ]);
      rows.push(
        { bold: [label, ...PUBLIC_CLASSES.map((p) => p.label), "Total"] },
        ...dimensionRows(cells, dimension, options.mask).map((row) => [row.value, ...row.counts, row.total]),
      );
      if (dimension === "quartileQpv") {
        const { share, target } = firstQuartileOutsideQpv(cells, options.mask);
        rows.push(
          [],
          [
            "Part du 1er quartile dans les attributions hors QPV",
            share === null ? "—" : `${Math.round(share * 1000) / 10} %`.replace(".", ","),
            `objectif ≥ ${target * 100} % (loi Égalité et Citoyenneté)`,
          ],
        );
      }
      if (dimension === "quartier")
        rows.push(
          [],
          [
            "« QPV non renseigné » : logements en QPV enregistrés sans le code de leur quartier ; liste des quartiers tenue par la MEL.",
          ],
        );
      return { name: label.replace("×", "x"), rows, widths: [40] };
    },
  );
  return workbookXlsx(sheets);
}

/** The download route: `?year=`, for the comité de suivi. */
export async function metropolitanBilanDownload(actor: Actor, query: URLSearchParams) {
  const { year } = parseReportFilters(query, consumptionFiltersSchema);
  return new Response(new Uint8Array(await metropolitanBilanXlsx(actor, year, { mask: false })), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="bilan-metropolitain-${year}.xlsx"`,
    },
  });
}
