import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { BarChart } from "~/components/bar-chart";
import { SelectFilter, YearFilter } from "~/components/filter-fields";
import { PageLinks } from "~/components/page-links";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import {
  CONSUMPTION_STATE_LABELS,
  CONSUMPTION_STATES,
  COUNTING_RULE,
  type ConsumptionState,
  SMALL_COUNT_LABEL,
  stateLabel,
} from "~/domain/consumption";
import { requireActor } from "~/lib/actor.server";
import { communeOptions } from "~/lib/communes.server";
import { withHttpErrors } from "~/lib/http.server";
import { formatShare, RIGHTS_SOURCE_LABELS } from "~/lib/report-labels";
import { CONSUMPTION_PAGE_ROWS, type CONSUMPTION_SORTS, consumptionPageSchema } from "~/lib/report-schemas";
import { consumptionPage, parseReportFilters } from "~/models/reports.server";

export const meta: MetaFunction = () => [{ title: "Consommation des droits — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const { page, ...query } = parseReportFilters(new URL(request.url).searchParams, consumptionPageSchema);
  return { query, ...(await consumptionPage(actor, query, { page })), communes: communeOptions() };
}

const show = (value: number | string | null) =>
  value === null ? "—" : typeof value === "number" ? value.toLocaleString("fr-FR") : value;

const STATE_TONE: Record<ConsumptionState, string> = {
  on_track: "text-muted-foreground",
  behind: "border-amber-700 text-amber-800",
  exceeded: "border-red-700 text-red-800",
};

const COLUMN_LABELS: Record<(typeof CONSUMPTION_SORTS)[number], string> = {
  bailleur: "Bailleur",
  rights: "Droits",
  counted: "Décomptées",
  remaining: "Restantes",
  projected: "Projection 31/12",
  state: "Suivi",
};

export default function ConsumptionPage() {
  const {
    query,
    rows,
    total,
    page,
    pageCount,
    states,
    groupTotals,
    reservataires,
    bailleurs,
    communes,
    masked,
  } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v === null ? next.delete(k) : next.set(k, v);
    return `?${next}`;
  };
  // Rows come sorted by réservataire: one group each, in that order.
  const byReservataire = new Map<string, typeof rows>();
  for (const r of rows)
    byReservataire.set(r.reservataire.slug, [...(byReservataire.get(r.reservataire.slug) ?? []), r]);
  const groups = [...byReservataire.values()];
  const exportQuery = new URLSearchParams(params);
  exportQuery.set("year", String(query.year));
  const sortHeader = (key: (typeof CONSUMPTION_SORTS)[number], className = "") => {
    const active = query.sort === key;
    const dir = active && query.dir !== "desc" ? "desc" : "asc";
    return (
      <TableHead
        className={className}
        aria-sort={active ? (query.dir === "desc" ? "descending" : "ascending") : undefined}
      >
        <Link to={withParams({ sort: key, dir, page: null })} className="underline-offset-2 hover:underline">
          {COLUMN_LABELS[key]}
          {active ? (query.dir === "desc" ? " ↓" : " ↑") : ""}
        </Link>
      </TableHead>
    );
  };
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Consommation des droits {query.year}</h1>
        <p className="text-sm text-muted-foreground">
          Par réservataire puis par bailleur : droits de l'année (avenant accepté ou tacitement accepté ;
          provisoires avant), attributions décomptées, restantes et projection au 31 décembre au rythme actuel
          (décomptées ÷ jours écoulés × jours de l'année, heure de Paris). {COUNTING_RULE}
        </p>
      </div>
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filtres">
        <YearFilter defaultValue={query.year} />
        <SelectFilter
          name="reservataire"
          label="Réservataire"
          defaultValue={query.reservataire ?? ""}
          options={reservataires}
        />
        <SelectFilter
          name="bailleur"
          label="Bailleur"
          defaultValue={query.bailleur ?? ""}
          options={bailleurs}
        />
        <SelectFilter
          name="commune"
          label="Commune"
          allLabel="Toutes"
          defaultValue={query.commune ?? ""}
          options={communes.map((c) => ({ value: c.code ?? "", label: c.name }))}
        />
        <SelectFilter
          name="state"
          label="Suivi"
          defaultValue={query.state ?? ""}
          options={CONSUMPTION_STATES.map((s) => ({ value: s, label: CONSUMPTION_STATE_LABELS[s] }))}
        />
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" name="empty" value="1" defaultChecked={query.empty} />
          Montrer les couples sans droits ni attribution
        </label>
        {query.sort && <input type="hidden" name="sort" value={query.sort} />}
        {query.dir && <input type="hidden" name="dir" value={query.dir} />}
        <Button type="submit" variant="outline">
          Afficher
        </Button>
        <Button asChild variant="outline">
          <a href={`/consommation/export.csv?${exportQuery}`}>Exporter en CSV</a>
        </Button>
        <Button asChild variant="outline">
          <a href={`/consommation/export.xlsx?${exportQuery}`}>Exporter en XLSX</a>
        </Button>
      </Form>
      {query.commune && (
        <p className="text-sm text-muted-foreground">
          Commune : les couples ayant des attributions décomptées dans la commune ; les droits étant fixés par
          bailleur, les chiffres restent ceux du couple.
        </p>
      )}
      {masked && (
        <Alert>
          Secret statistique : les effectifs inférieurs à 5 ménages sont affichés « {SMALL_COUNT_LABEL} », et
          les parts qui les révéleraient ne sont pas données.
        </Alert>
      )}
      {total === 0 ? (
        <p>Aucune ligne à afficher pour ces filtres en {query.year}.</p>
      ) : (
        <>
          <p role="status">
            {total} ligne(s) : {states.exceeded} dépassée(s), {states.behind} en retard (projection sous les
            droits ou sous-objectif manqué), {states.on_track} à jour.
            {pageCount > 1 &&
              ` Lignes ${(page - 1) * CONSUMPTION_PAGE_ROWS + 1} à ${(page - 1) * CONSUMPTION_PAGE_ROWS + rows.length}.`}
          </p>
          <div className="overflow-x-auto">
            <Table className="text-sm">
              <TableHeader>
                <TableRow>
                  {sortHeader("bailleur")}
                  {sortHeader("rights", "text-right")}
                  {sortHeader("counted", "text-right")}
                  {sortHeader("remaining", "text-right")}
                  {sortHeader("projected", "hidden text-right md:table-cell")}
                  <TableHead className="hidden text-right lg:table-cell">DALO-PDALHPD</TableHead>
                  {sortHeader("state")}
                  <TableHead>
                    <span className="sr-only">Attributions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              {groups.map((group) => {
                const first = group[0]!;
                const totals = groupTotals[first.reservataire.slug]!;
                return (
                  <TableBody key={first.reservataire.slug}>
                    <TableRow className="bg-muted/60 font-medium">
                      <TableCell>
                        <h2 className="text-sm font-semibold">{first.reservataire.name}</h2>
                      </TableCell>
                      <TableCell className="text-right">{show(totals.rights)}</TableCell>
                      <TableCell className="text-right">{show(totals.counted)}</TableCell>
                      <TableCell className="text-right">{show(totals.remaining)}</TableCell>
                      <TableCell className="hidden md:table-cell" />
                      <TableCell className="hidden lg:table-cell" />
                      <TableCell colSpan={2} className="text-xs text-muted-foreground">
                        Sous-total, {totals.bailleurs} bailleur(s)
                      </TableCell>
                    </TableRow>
                    {group.map((r) => (
                      <TableRow key={`${r.reservataire.id}-${r.bailleur.id}`}>
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
                        <TableCell className="hidden text-right md:table-cell">{show(r.projected)}</TableCell>
                        <TableCell className="hidden text-right lg:table-cell">
                          {formatShare(r.priorityShare)}
                        </TableCell>
                        <TableCell>
                          {r.reasons.length > 0 ? (
                            <details>
                              <summary>
                                <Badge className={STATE_TONE[r.state]}>{stateLabel(r)}</Badge>
                              </summary>
                              <ul className="mt-1 list-disc pl-4 text-xs">
                                {r.reasons.map((reason) => (
                                  <li key={reason}>{reason}</li>
                                ))}
                              </ul>
                            </details>
                          ) : (
                            <Badge className={STATE_TONE[r.state]}>{stateLabel(r)}</Badge>
                          )}
                        </TableCell>
                        <TableCell>
                          <Link
                            to={`/attributions?year=${query.year}&bailleur=${r.bailleur.slug}&reservataire=${r.reservataire.slug}`}
                            className="underline"
                            aria-label={`Attributions de ${r.bailleur.name} sur le contingent ${r.reservataire.name}`}
                          >
                            Attributions
                          </Link>
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                );
              })}
            </Table>
          </div>
          <PageLinks
            page={page}
            pageCount={pageCount}
            href={(n) => withParams({ page: n === 1 ? null : String(n) })}
          />
          <section aria-labelledby="charts" className="space-y-3">
            <h2 id="charts" className="text-lg font-semibold">
              Attributions décomptées (barre) et droits (trait), par réservataire
              {pageCount > 1 && " (les bailleurs de cette page)"}
            </h2>
            <div className="grid gap-6 md:grid-cols-2 xl:grid-cols-3">
              {groups.map((group) => (
                <BarChart
                  key={group[0]!.reservataire.slug}
                  title={group[0]!.reservataire.name}
                  bars={group.map((r) => ({
                    label: r.bailleur.name,
                    value: typeof r.counted === "number" ? r.counted : 0,
                    reference: r.rights,
                    text: `${show(r.counted)} / ${show(r.rights)}`,
                    tone: r.state === "on_track" ? "default" : "warning",
                  }))}
                />
              ))}
            </div>
          </section>
        </>
      )}
    </div>
  );
}
