import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { BarChart } from "~/components/bar-chart";
import { SelectFilter, YearFilter } from "~/components/filter-fields";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { contingentSource } from "~/domain/assiette-version";
import { ATTRIBUTION_CONTINGENT_LABELS } from "~/domain/attribution";
import { SMALL_COUNT_LABEL } from "~/domain/consumption";
import { requireActor } from "~/lib/actor.server";
import { communeOptions } from "~/lib/communes.server";
import { withHttpErrors } from "~/lib/http.server";
import { FIGURE_COLUMNS, formatShare } from "~/lib/report-labels";
import { indicatorFiltersSchema } from "~/lib/report-schemas";
import { indicatorPage, parseReportFilters } from "~/models/reports.server";

export const meta: MetaFunction = () => [{ title: "Indicateurs de suivi — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const url = new URL(request.url);
  const page = await indicatorPage(actor, parseReportFilters(url.searchParams, indicatorFiltersSchema));
  return { ...page, communes: communeOptions(), query: url.search };
}

const show = (value: number | string) => (typeof value === "number" ? value.toLocaleString("fr-FR") : value);

type Figures = Record<(typeof FIGURE_COLUMNS)[number][0], number | string>;

/** The columns a phone shows: attributions and T4+; the others from md/lg (the CSV and XLSX carry them all). */
const COLUMN_CLASS: Record<(typeof FIGURE_COLUMNS)[number][0], string> = {
  total: "text-right",
  t4plus: "text-right",
  plai: "hidden text-right md:table-cell",
  pmr: "hidden text-right md:table-cell",
  firstLetting: "hidden text-right lg:table-cell",
  refusals: "hidden text-right lg:table-cell",
};

function FigureHeads() {
  return FIGURE_COLUMNS.map(([key, label]) => (
    <TableHead key={key} className={COLUMN_CLASS[key]}>
      {label}
    </TableHead>
  ));
}

function FigureCells({ figures }: { figures: Figures }) {
  return FIGURE_COLUMNS.map(([key]) => (
    <TableCell key={key} className={COLUMN_CLASS[key]}>
      {show(figures[key])}
    </TableCell>
  ));
}

/** The communes with the most attributions, as bars (unmasked figures only: a commune's page shows none). */
const TOP_COMMUNES = 15;

export default function IndicatorsPage() {
  const { report, parties, communes, query, masked } = useLoaderData<typeof loader>();
  const { filters } = report;
  const totals = new Map<string, number>();
  for (const r of report.byContingent)
    totals.set(r.contingent, (totals.get(r.contingent) ?? 0) + (typeof r.total === "number" ? r.total : 0));
  const metropolitan = report.metropolitan;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Indicateurs de suivi {report.year}</h1>
        <p className="text-sm text-muted-foreground">
          Convention cadre, art. 11 : attributions par contingent, aux publics cibles de la CIA et aux autres
          demandes ; grands logements (T4 et plus), PLAI, PMR, par commune ; offre nouvelle ; refus des
          ménages après le courrier de décision de la CALEOL (ils ne réduisent pas les droits décomptés).
        </p>
        <p className="text-sm">{contingentSource(report.year, report.assiette)}</p>
      </div>
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filtres">
        <YearFilter defaultValue={report.year} />
        <SelectFilter
          name="bailleur"
          label="Bailleur"
          defaultValue={filters.bailleur ?? ""}
          options={parties.bailleurs.map((b) => ({ value: b.id, label: b.name }))}
        />
        <SelectFilter
          name="reservataire"
          label="Réservataire"
          defaultValue={filters.reservataire ?? ""}
          options={parties.reservataires.map((r) => ({ value: r.id, label: r.name }))}
        />
        <SelectFilter
          name="commune"
          label="Commune"
          allLabel="Toutes"
          defaultValue={filters.commune ?? ""}
          options={communes.map((c) => ({ value: c.code ?? "", label: c.name }))}
        />
        <SelectFilter
          name="qpv"
          label="QPV"
          allLabel="En et hors QPV"
          defaultValue={filters.qpv === undefined ? "" : filters.qpv ? "oui" : "non"}
          options={[
            { value: "oui", label: "En QPV" },
            { value: "non", label: "Hors QPV" },
          ]}
        />
        <Button type="submit" variant="outline">
          Filtrer
        </Button>
        <Button asChild variant="outline">
          <a href={`/indicateurs/export.csv${query}`}>Exporter en CSV</a>
        </Button>
        <Button asChild variant="outline">
          <a href={`/indicateurs/export.xlsx${query}`}>Exporter en XLSX</a>
        </Button>
      </Form>
      {masked && (
        <Alert>
          Votre territoire. Secret statistique : les effectifs inférieurs à 5 ménages sont affichés «{" "}
          {SMALL_COUNT_LABEL} ».
        </Alert>
      )}
      {metropolitan && (
        <section aria-labelledby="moyennes" className="space-y-2">
          <h2 id="moyennes" className="text-lg font-semibold">
            Moyennes métropolitaines
          </h2>
          <p className="text-sm">
            Attributions par commune : {metropolitan.averagePerCommune?.toLocaleString("fr-FR") ?? "—"} ;
            publics cibles CIA {formatShare(metropolitan.shares.ciaTargets)} ; T4 et plus{" "}
            {formatShare(metropolitan.shares.t4plus)}; PLAI {formatShare(metropolitan.shares.plai)} ; PMR{" "}
            {formatShare(metropolitan.shares.pmr)} ; offre nouvelle{" "}
            {formatShare(metropolitan.shares.firstLetting)} ; refus après CALEOL par attribution{" "}
            {formatShare(metropolitan.refusalsPerAttribution)}.
          </p>
        </section>
      )}
      <section aria-labelledby="contingents" className="space-y-3">
        <h2 id="contingents" className="text-lg font-semibold">
          Par contingent
        </h2>
        {report.byContingent.length === 0 ? (
          <p>Aucune attribution pour ces filtres.</p>
        ) : (
          <div className="space-y-4">
            {!masked && (
              <BarChart
                title="Attributions par contingent"
                bars={[...totals].map(([contingent, total]) => ({
                  label:
                    ATTRIBUTION_CONTINGENT_LABELS[contingent as keyof typeof ATTRIBUTION_CONTINGENT_LABELS],
                  value: total,
                }))}
              />
            )}
            <Table className="text-sm">
              <TableHeader>
                <TableRow>
                  <TableHead>Contingent</TableHead>
                  <TableHead>Publics</TableHead>
                  <FigureHeads />
                </TableRow>
              </TableHeader>
              <TableBody>
                {report.byContingent.map((r) => (
                  <TableRow key={`${r.contingent}-${r.ciaTarget}`}>
                    <TableCell>{ATTRIBUTION_CONTINGENT_LABELS[r.contingent]}</TableCell>
                    <TableCell>{r.ciaTarget ? "Cibles CIA" : "Autres demandes"}</TableCell>
                    <FigureCells figures={r} />
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </section>
      <section aria-labelledby="communes" className="space-y-3">
        <h2 id="communes" className="text-lg font-semibold">
          Par commune d'attribution
        </h2>
        {!masked && report.byCommune.length > 1 && (
          <BarChart
            title={`Les ${Math.min(TOP_COMMUNES, report.byCommune.length)} communes aux attributions les plus nombreuses`}
            bars={[...report.byCommune]
              .map((r) => ({ label: r.communeName, value: typeof r.total === "number" ? r.total : 0 }))
              .sort((a, b) => b.value - a.value)
              .slice(0, TOP_COMMUNES)}
          />
        )}
        <Table className="text-sm">
          <TableHeader>
            <TableRow>
              <TableHead>Commune</TableHead>
              <TableHead className="hidden text-right sm:table-cell">Dont cibles CIA</TableHead>
              <FigureHeads />
            </TableRow>
          </TableHeader>
          <TableBody>
            {report.byCommune.map((r) => (
              <TableRow key={r.communeInsee}>
                <TableCell>
                  {r.communeName} ({r.communeInsee})
                </TableCell>
                <TableCell className="hidden text-right sm:table-cell">{show(r.ciaTargets)}</TableCell>
                <FigureCells figures={r} />
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>
    </div>
  );
}
