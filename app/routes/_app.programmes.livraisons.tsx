import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { SelectFilter, YearFilter } from "~/components/filter-fields";
import { IntentForm } from "~/components/intent-form";
import { ProgrammeCells, ProgrammeHeads } from "~/components/programme-cells";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { FINANCING_LABELS, type Financing, TYPOLOGY_LABELS, type Typology } from "~/domain/housing";
import { attempt, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatDay, formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { periodFrom } from "~/models/deliveries-export.server";
import { campaignFollowUp, consolidatedDeliveries, sendDeliveryCampaign } from "~/models/programmes.server";

export const meta: MetaFunction = () => [{ title: "Livraisons à venir — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const { list, ...totals } = await consolidatedDeliveries(actor, periodFrom(new URL(request.url)), {
    withList: true,
  });
  const isMelCampaign = actor.ability.can("create", "DeliveryUpdate");
  return {
    totals,
    programmes: list.filter((p) => p.firstLettingDate >= totals.from && p.firstLettingDate <= totals.to),
    campaign: isMelCampaign ? await campaignFollowUp(actor) : null,
    query: new URL(request.url).search,
  };
}

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    await readProtectedForm(request);
    const { asked, alreadyAsked } = await sendDeliveryCampaign(actor, { baseUrl: publicUrl() });
    return succeeded(
      `Demande envoyée à ${asked} bailleur(s)${alreadyAsked ? ` ; ${alreadyAsked} l'avaient déjà reçue pour cette campagne` : ""}.`,
    );
  });

function Totals({
  title,
  totals,
  label,
}: {
  title: string;
  totals: Record<string, number>;
  label?: (k: string) => string;
}) {
  const entries = Object.entries(totals).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div>
      <h3 className="font-medium">{title}</h3>
      <Table>
        <TableBody>
          {entries.length === 0 && (
            <TableRow>
              <TableCell>—</TableCell>
            </TableRow>
          )}
          {entries.map(([key, n]) => (
            <TableRow key={key}>
              <TableCell>{label ? label(key) : key}</TableCell>
              <TableCell className="text-right">{n}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

export default function DeliveriesPage() {
  const { totals, programmes, campaign, query } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { period } = totals;
  return (
    <div className="space-y-6">
      <Link to="/programmes" className="text-sm underline">
        ← Programmes neufs
      </Link>
      <h1 className="text-2xl font-semibold">Livraisons à venir</h1>
      <p className="text-sm text-muted-foreground">
        Consolidation des premières mises en location au semestre (1er janvier–30 juin ; 1er juillet–31
        décembre) ou à l'année (convention cadre, art. 8).
      </p>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <YearFilter defaultValue={period.year} />
        <SelectFilter
          name="half"
          label="Période"
          defaultValue={period.half ? String(period.half) : ""}
          allLabel="Année entière"
          options={[
            { value: "1", label: "1er semestre (janvier–juin)" },
            { value: "2", label: "2nd semestre (juillet–décembre)" },
          ]}
        />
        <Button variant="outline">Afficher</Button>
        <a className="text-sm underline" href={`/programmes/livraisons/export.csv${query}`}>
          Exporter (CSV)
        </a>
        <a className="text-sm underline" href={`/programmes/livraisons/export.xlsx${query}`}>
          Exporter (XLSX)
        </a>
      </Form>
      <Card>
        <CardHeader>
          <CardTitle>
            Du {formatDay(totals.from)} au {formatDay(totals.to)} : {totals.programmes} programme(s),{" "}
            {totals.flats} logement(s) dont {totals.pmr} PMR
          </CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-4">
          <Totals title="Par commune" totals={totals.byCommune} />
          <Totals title="Par bailleur" totals={totals.byBailleur} />
          <Totals
            title="Par financement"
            totals={totals.byFinancing}
            label={(k) => FINANCING_LABELS[k as Financing]}
          />
          <Totals
            title="Par typologie"
            totals={totals.byTypology}
            label={(k) => TYPOLOGY_LABELS[k as Typology]}
          />
        </CardContent>
      </Card>
      <Table>
        <TableHeader>
          <TableRow>
            <ProgrammeHeads />
          </TableRow>
        </TableHeader>
        <TableBody>
          {programmes.map((p) => (
            <TableRow key={p.id}>
              <ProgrammeCells programme={p} />
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {campaign && (
        <Card>
          <CardHeader>
            <CardTitle>Demande de mise à jour des livraisons — campagne de {campaign.label}</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3">
            <p className="text-sm text-muted-foreground">
              En mai et en novembre, la MEL demande à tous les bailleurs de mettre à jour leurs livraisons à
              venir. Un nouvel envoi n'écrit qu'aux bailleurs pas encore sollicités pour cette campagne.
            </p>
            <IntentForm
              intent="campaign"
              fields={{}}
              label="Envoyer la demande aux bailleurs"
              variant="default"
              confirm="Envoyer la demande de mise à jour à tous les bailleurs pas encore sollicités ?"
            />
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Bailleur</TableHead>
                  <TableHead>Demande</TableHead>
                  <TableHead>Réponse</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {campaign.requests.map((r) => (
                  <TableRow key={r.bailleurId}>
                    <TableCell>{r.bailleurName}</TableCell>
                    <TableCell>{formatParis(r.requestedAt)}</TableCell>
                    <TableCell>
                      {r.answeredAt ? `À jour le ${formatParis(r.answeredAt)}` : "En attente"}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
