import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { percent } from "~/domain/rights";
import { requireActor } from "~/lib/actor.server";
import { parisYear } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { yearQuery } from "~/lib/route-params.server";
import { listSignedRates } from "~/models/contingents.server";

export const meta: MetaFunction = () => [{ title: "Taux signés — Portail flux MEL" }];

/**
 * The rates in force for a year on each bailleur, each with the document it comes from (DESIGN §3): read only, since
 * a rate changes only by a convention (or its avenant) both parties sign.
 */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  // `?annee=`: the page's parameter before it took its English name (decision 0024), kept for old links.
  const year = yearQuery(request.url, "annee") ?? parisYear();
  return { year, rates: await listSignedRates(actor, year) };
}

export default function SignedRatesPage() {
  const { year, rates } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Taux signés {year}</h1>
        <nav aria-label="Années" className="flex gap-2 text-sm">
          <Link className="underline" to={`?year=${year - 1}`}>
            ← {year - 1}
          </Link>
          <Link className="underline" to={`?year=${year + 1}`}>
            {year + 1} →
          </Link>
        </nav>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Taux de chaque réservataire par bailleur</CardTitle>
          <CardDescription>
            Un taux vient de la convention cadre (État 28,7 %, rétrocession d'Action Logement 1,3 %, MEL 20 %
            sauf sur Partenord Habitat) ou d'une convention bilatérale signée par les deux parties ; il ne
            change que par une nouvelle convention ou un avenant signés. Plafonds : 100 % de l'assiette sur un
            bailleur (le reste est le contingent propre du bailleur), 20 % pour les collectivités ensemble
            (MEL et communes garantes), 25 % pour Action Logement hors rétrocession, 25 % pour la SICF sur ICF
            Habitat Nord-Est (annexe 1, l.505 ; le texte dit 30 % au plus dans le Nord, l.204) sauf convention
            SICF–ICF signée qui en dispose autrement.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {rates.length === 0 ? (
            <p className="text-sm text-muted-foreground">Aucun taux en vigueur pour {year}.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Bailleur</TableHead>
                  <TableHead>Réservataire</TableHead>
                  <TableHead className="text-right">Taux</TableHead>
                  <TableHead>Document</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rates.map((r) => (
                  <TableRow key={`${r.bailleur.id}-${r.reservataire.id}`}>
                    <TableCell>{r.bailleur.name}</TableCell>
                    <TableCell>
                      {r.reservataire.kind === "commune"
                        ? `${r.reservataire.name} (part prise sur la MEL)`
                        : r.reservataire.name}
                    </TableCell>
                    <TableCell className="text-right">{percent(r.rateBp)}</TableCell>
                    <TableCell>
                      {r.source.conventionId ? (
                        <Link className="underline" to={`/conventions/${r.source.conventionId}`}>
                          {r.source.title}
                        </Link>
                      ) : (
                        r.source.title
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
