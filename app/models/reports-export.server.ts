import { contingentSource } from "~/domain/assiette-version";
import { ATTRIBUTION_CONTINGENT_LABELS } from "~/domain/attribution";
import { type MaskedCount, stateLabel } from "~/domain/consumption";
import type { Actor } from "~/lib/actor.server";
import { FIGURE_COLUMNS, formatShare, RIGHTS_SOURCE_LABELS } from "~/lib/report-labels";
import { consumptionQuerySchema, indicatorFiltersSchema } from "~/lib/report-schemas";
import { csvResponse, type ExportTable as Table, xlsxResponse } from "~/lib/spreadsheet.server";
import {
  type ConsumptionRow,
  filteredConsumptionReport,
  type IndicatorReport,
  indicatorReport,
  parseReportFilters,
} from "./reports.server";

/** The reports as tables for CSV / XLSX, with the same policy, filters and masking as the pages. */

const cell = (value: MaskedCount | number | null) => (value === null ? "" : value);

export function consumptionTable(rows: ConsumptionRow[]): Table {
  return {
    header: [
      "Réservataire",
      "Bailleur",
      "Droits",
      "Origine des droits",
      "Décomptées",
      "Restantes",
      "Projection au 31 décembre",
      "Part DALO-PDALHPD labellisés",
      "Suivi",
      "Motifs",
    ],
    body: rows.map((r) => [
      r.reservataire.name,
      r.bailleur.name,
      cell(r.rights),
      r.rightsSource
        ? `${RIGHTS_SOURCE_LABELS[r.rightsSource]}${r.assietteVersion === null ? "" : ` (assiette, version ${r.assietteVersion})`}`
        : "Non connus",
      cell(r.counted),
      cell(r.remaining),
      cell(r.projected),
      formatShare(r.priorityShare),
      stateLabel(r),
      r.reasons.join(" "),
    ]),
  };
}

export function indicatorTables(report: IndicatorReport): { byContingent: Table; byCommune: Table } {
  return {
    byContingent: {
      header: ["Contingent", "Publics", ...FIGURE_COLUMNS.map(([, label]) => label)],
      body: report.byContingent.map((r) => [
        ATTRIBUTION_CONTINGENT_LABELS[r.contingent],
        r.ciaTarget ? "Cibles CIA" : "Autres demandes",
        ...FIGURE_COLUMNS.map(([key]) => r[key]),
      ]),
    },
    byCommune: {
      header: ["Commune", "Code INSEE", "Dont cibles CIA", ...FIGURE_COLUMNS.map(([, label]) => label)],
      body: report.byCommune.map((r) => [
        r.communeName,
        r.communeInsee,
        r.ciaTargets,
        ...FIGURE_COLUMNS.map(([key]) => r[key]),
      ]),
    },
  };
}

/** One table of both (contingents, then communes), for a single CSV or sheet. */
export function indicatorsTable(report: IndicatorReport): Table {
  const { byContingent, byCommune } = indicatorTables(report);
  return {
    header: byContingent.header,
    body: [
      ...byContingent.body,
      [],
      byCommune.header,
      ...byCommune.body,
      [],
      [contingentSource(report.year, report.assiette)],
    ],
  };
}

/** The export routes: `report` × `format`, file named after the year. */
export async function reportExport(
  actor: Actor,
  params: URLSearchParams,
  report: "consommation" | "indicateurs",
  format: "csv" | "xlsx",
): Promise<Response> {
  let table: Table;
  let year: number;
  if (report === "consommation") {
    // The same filters as the page (réservataire, bailleur, commune, state, empty pairs, order).
    const query = parseReportFilters(params, consumptionQuerySchema);
    year = query.year;
    table = consumptionTable(await filteredConsumptionReport(actor, query));
  } else {
    const filters = parseReportFilters(params, indicatorFiltersSchema);
    year = filters.year;
    table = indicatorsTable(await indicatorReport(actor, filters));
  }
  const filename = `${report}-${year}`;
  return format === "csv" ? csvResponse(table, filename) : xlsxResponse(table, filename, `${report} ${year}`);
}
