import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { metropolitanStats } from "~/models/signalements.server";

export const meta: MetaFunction = () => [{ title: "Tableau des signalements — Portail flux MEL" }];

/**
 * The MEL's board (issue 4, "Boards"): per commune and per bailleur, the signalements' counts and median delays of
 * acknowledgement. Computed on demand over the whole metropolis, so kept off the list page that every user loads.
 * Anyone but the MEL gets the model's 403.
 */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return { stats: await metropolitanStats(actor) };
}

export default function SignalementsStatsPage() {
  const { stats } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Tableau des signalements de la métropole</h1>
        <Link to="/signalements" className="underline">
          Retour aux signalements
        </Link>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <StatsTable title="Par commune" column="Commune" rows={stats.perCommune} />
        <StatsTable title="Par bailleur" column="Bailleur" rows={stats.perBailleur} />
      </div>
    </div>
  );
}

const days = (value: number | null) => (value === null ? "—" : `${value.toLocaleString("fr-FR")} j`);

function StatsTable({
  title,
  column,
  rows,
}: {
  title: string;
  column: string;
  rows: Array<{
    name: string;
    total: number;
    open: number;
    medianAckDays: number | null;
    medianCloseDays: number | null;
  }>;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
      </CardHeader>
      <CardContent>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{column}</TableHead>
              <TableHead>Total</TableHead>
              <TableHead>Ouverts</TableHead>
              <TableHead>Délai médian d'accusé de réception</TableHead>
              <TableHead>Délai médian jusqu'à la fin du suivi</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.length === 0 && (
              <TableRow>
                <TableCell colSpan={5}>Aucun signalement.</TableCell>
              </TableRow>
            )}
            {rows.map((r) => (
              <TableRow key={r.name}>
                <TableCell>{r.name}</TableCell>
                <TableCell>{r.total}</TableCell>
                <TableCell>{r.open}</TableCell>
                <TableCell>{days(r.medianAckDays)}</TableCell>
                <TableCell>{days(r.medianCloseDays)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
