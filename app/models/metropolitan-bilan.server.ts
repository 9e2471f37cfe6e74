import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { queryRows } from "#db/client.server";
import { attributions, organisations } from "#db/schema";
import { reachesAll } from "#policies/guard.server";
import { CIL_PUBLICS } from "~/domain/bilan";
import { requireActor } from "~/lib/actor.server";
import { forbidden } from "~/lib/http.server";
import { consumptionFiltersSchema } from "~/lib/report-schemas";
import { parseReportFilters } from "./reports.server";

/**
 * The metropolitan bilan for the CIL (004 Titre 5, l. 449–459): every attribution of the year by public (DALO-
 * PDALHPD, MBC, NPRU, others) crossed with income quartile, bailleur, commune and QPV, in one GROUPING SETS query.
 * Read by whoever reads every bailleur's indicators (MEL, État, Département, URH: the comité de suivi).
 */

const publicGroup = sql.raw(
  `case ${CIL_PUBLICS.map((p) => `when public_category in (${p.categories.map((c) => `'${c}'`).join(", ")}) then '${p.key}'`).join(" ")} end`,
);

type Cell = {
  dimension: "quartile" | "bailleur" | "commune" | "qpv";
  value: string;
  publicKey: string;
  n: number;
};

export async function metropolitanBilan(year: number) {
  const rows = await queryRows<{
    set: number;
    quartile: number | null;
    bailleur: string | null;
    commune: string | null;
    qpv: boolean | null;
    public_key: string;
    n: number;
  }>(sql`
    select grouping(a.income_quartile, o.name, coalesce(c.name, a.commune_insee), a.qpv)::int as set,
      a.income_quartile as quartile, o.name as bailleur, coalesce(c.name, a.commune_insee) as commune, a.qpv,
      ${publicGroup} as public_key, count(*)::int as n
    from ${attributions} a
    join ${organisations} o on o.id = a.bailleur_id
    left join ${organisations} c on c.insee_code = a.commune_insee
    where a.lease_date >= ${`${year}-01-01`} and a.lease_date < ${`${year + 1}-01-01`}
    group by grouping sets ((a.income_quartile, ${publicGroup}), (o.name, ${publicGroup}),
      (coalesce(c.name, a.commune_insee), ${publicGroup}), (a.qpv, ${publicGroup}))
    order by 1, 2, 3, 4, 5`);
  const SET_OF: Record<number, Cell["dimension"]> = {
    7: "quartile",
    11: "bailleur",
    13: "commune",
    14: "qpv",
  };
  const cells: Cell[] = [];
  for (const r of rows) {
    const dimension = SET_OF[r.set];
    if (!dimension) continue;
    const value =
      dimension === "quartile"
        ? r.quartile === null
          ? "Quartile non renseigné"
          : `Quartile ${r.quartile}`
        : dimension === "qpv"
          ? r.qpv
            ? "En QPV"
            : "Hors QPV"
          : ((dimension === "bailleur" ? r.bailleur : r.commune) ?? "");
    cells.push({ dimension, value, publicKey: r.public_key, n: r.n });
  }
  return cells;
}

const DIMENSION_LABELS = {
  quartile: "Quartile de ressources",
  bailleur: "Bailleur",
  commune: "Commune",
  qpv: "QPV",
} as const;

/** One sheet per dimension: rows its values, columns the publics and the total. */
export async function metropolitanBilanXlsx(year: number): Promise<Buffer> {
  const cells = await metropolitanBilan(year);
  const workbook = new ExcelJS.Workbook();
  for (const [dimension, label] of Object.entries(DIMENSION_LABELS) as Array<[Cell["dimension"], string]>) {
    const sheet = workbook.addWorksheet(label);
    sheet.addRow([`Bilan métropolitain ${year} — ${label}`]).font = { bold: true };
    sheet.addRow([label, ...CIL_PUBLICS.map((p) => p.label), "Total"]).font = { bold: true };
    const values = [...new Set(cells.filter((c) => c.dimension === dimension).map((c) => c.value))];
    for (const value of values) {
      const counts = CIL_PUBLICS.map(
        (p) =>
          cells.find((c) => c.dimension === dimension && c.value === value && c.publicKey === p.key)?.n ?? 0,
      );
      sheet.addRow([value, ...counts, counts.reduce((a, b) => a + b, 0)]);
    }
    sheet.getColumn(1).width = 36;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The download route: `?year=`, for the comité de suivi. */
export async function metropolitanBilanDownload(args: Pick<LoaderFunctionArgs, "request" | "context">) {
  const actor = await requireActor(args.request, args.context);
  if (!reachesAll(actor.ability, "read", "IndicatorReport")) throw forbidden();
  const { year } = parseReportFilters(new URL(args.request.url).searchParams, consumptionFiltersSchema);
  return new Response(new Uint8Array(await metropolitanBilanXlsx(year)), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="bilan-metropolitain-${year}.xlsx"`,
    },
  });
}
