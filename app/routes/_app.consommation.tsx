import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { BarChart } from "~/components/bar-chart";
import { YearFilter } from "~/components/filter-fields";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { COUNTING_RULE, SMALL_COUNT_LABEL } from "~/domain/consumption";
import { requireActor } from "~/lib/actor.server";
import { formatShare, RIGHTS_SOURCE_LABELS } from "~/lib/report-labels";
import { consumptionFiltersSchema } from "~/lib/report-schemas";
import { consumptionReport, parseReportFilters } from "~/models/reports.server";

export const meta: MetaFunction = () => [{ title: "Consommation des droits — Portail flux MEL" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const { year } = parseReportFilters(new URL(request.url).searchParams, consumptionFiltersSchema);
  return {
    year,
    rows: await consumptionReport(actor, year),
    masked: actor.organisation.kind === "commune",
  };
}

const show = (value: number | string | null) =>
  value === null ? "—" : typeof value === "number" ? value.toLocaleString("fr-FR") : value;

export default function ConsumptionPage() {
  const { year, rows, masked } = useLoaderData<typeof loader>();
  const behind = rows.filter((r) => r.behind).length;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Consommation des droits {year}</h1>
        <p className="text-sm text-muted-foreground">
          Par réservataire et bailleur : droits de l'année (avenant accepté ou tacitement accepté ;
          provisoires avant), attributions décomptées, restantes et projection au 31 décembre au rythme actuel
          (décomptées ÷ jours écoulés × jours de l'année, heure de Paris). {COUNTING_RULE}
        </p>
      </div>
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filtres">
        <YearFilter defaultValue={year} />
        <Button type="submit" variant="outline">
          Afficher
        </Button>
        <Button asChild variant="outline">
          <a href={`/consommation/export.csv?year=${year}`}>Exporter en CSV</a>
        </Button>
        <Button asChild variant="outline">
          <a href={`/consommation/export.xlsx?year=${year}`}>Exporter en XLSX</a>
        </Button>
      </Form>
      {masked && (
        <Alert>
          Secret statistique : les effectifs inférieurs à 5 ménages sont affichés « {SMALL_COUNT_LABEL} ».
        </Alert>
      )}
      {rows.length === 0 ? (
        <p>Aucun contingent ni aucune attribution à afficher pour {year}.</p>
      ) : (
        <>
          <p role="status">
            {rows.length} ligne(s), dont {behind} en retard (projection sous les droits ou sous-objectif
            manqué).
          </p>
          <div className="grid gap-6 lg:grid-cols-[2fr_3fr]">
            <BarChart
              title="Attributions décomptées (barre) et droits (trait)"
              bars={rows.map((r) => ({
                label: `${r.reservataire.name} — ${r.bailleur.name}`,
                value: typeof r.counted === "number" ? r.counted : 0,
                reference: r.rights,
                text: `${show(r.counted)} / ${show(r.rights)}`,
                tone: r.behind ? "warning" : "default",
              }))}
            />
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Réservataire</TableHead>
                  <TableHead>Bailleur</TableHead>
                  <TableHead className="text-right">Droits</TableHead>
                  <TableHead className="text-right">Décomptées</TableHead>
                  <TableHead className="text-right">Restantes</TableHead>
                  <TableHead className="text-right">Projection au 31/12</TableHead>
                  <TableHead className="text-right">DALO-PDALHPD</TableHead>
                  <TableHead>Suivi</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((r) => (
                  <TableRow key={`${r.reservataire.id}-${r.bailleur.id}`}>
                    <TableCell>{r.reservataire.name}</TableCell>
                    <TableCell>{r.bailleur.name}</TableCell>
                    <TableCell className="text-right">
                      {show(r.rights)}
                      {r.rightsSource && r.provisional && (
                        <Badge className="ml-1" title={RIGHTS_SOURCE_LABELS[r.rightsSource]}>
                          provisoire
                        </Badge>
                      )}
                      {r.assietteVersion !== null && (
                        <span className="block text-xs text-muted-foreground">
                          assiette v{r.assietteVersion}
                        </span>
                      )}
                    </TableCell>
                    <TableCell className="text-right">{show(r.counted)}</TableCell>
                    <TableCell className="text-right">{show(r.remaining)}</TableCell>
                    <TableCell className="text-right">{show(r.projected)}</TableCell>
                    <TableCell className="text-right">{formatShare(r.priorityShare)}</TableCell>
                    <TableCell>
                      {r.behind ? (
                        <details>
                          <summary>
                            <Badge className="border-amber-700 text-amber-800">En retard</Badge>
                          </summary>
                          <ul className="mt-1 list-disc pl-4 text-xs">
                            {r.reasons.map((reason) => (
                              <li key={reason}>{reason}</li>
                            ))}
                          </ul>
                        </details>
                      ) : (
                        <span className="text-sm text-muted-foreground">À jour</span>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </>
      )}
    </div>
  );
}
