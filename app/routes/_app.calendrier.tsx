import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { OBLIGATION_KIND_LABELS, type ObligationStatus, obligationStatusText } from "~/domain/obligations";
import { attempt, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { consumptionFiltersSchema } from "~/lib/report-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { calendarOf } from "~/models/calendar.server";
import { createCalendarFeed, hasCalendarFeed, revokeCalendarFeed } from "~/models/calendar-feeds.server";
import { parseReportFilters } from "~/models/reports.server";

export const meta: MetaFunction = () => [{ title: "Calendrier des obligations — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const { year } = parseReportFilters(new URL(request.url).searchParams, consumptionFiltersSchema);
  const [items, hasFeed] = await Promise.all([calendarOf(actor, new Date(), year), hasCalendarFeed(actor)]);
  return {
    year,
    items: items.map((i) => ({
      ...i,
      lastDay: new Date(i.dueAt.getTime() - (i.event ? 0 : 1)).toISOString(),
      statusText: obligationStatusText(i, (d) => formatParis(d, "dd/MM/yyyy")),
    })),
    hasFeed,
  };
}

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const formData = await readProtectedForm(request);
    if (formData.get("intent") === "revoke-feed") {
      await revokeCalendarFeed(actor);
      return { ...succeeded("L'adresse de votre flux iCalendar ne fonctionne plus."), feedUrl: null };
    }
    const token = await createCalendarFeed(actor);
    return {
      ...succeeded(
        "Voici l'adresse secrète de votre flux : copiez-la maintenant, elle ne sera plus affichée.",
      ),
      feedUrl: `${publicUrl()}/calendrier/flux/${token}.ics`,
    };
  });

const STATUS_CLASSES: Record<ObligationStatus, string> = {
  done: "bg-green-100 text-green-900",
  done_late: "bg-orange-100 text-orange-900",
  tacitly_accepted: "bg-slate-100 text-slate-900",
  due: "bg-amber-100 text-amber-900",
  late: "bg-red-100 text-red-900",
};

export default function CalendarPage() {
  const { year, items, hasFeed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Calendrier des obligations {year}</h1>
      <nav className="flex gap-4 text-sm" aria-label="Années">
        <Link to={`?year=${year - 1}`} className="underline">
          ← {year - 1}
        </Link>
        <Link to={`?year=${year + 1}`} className="underline">
          {year + 1} →
        </Link>
      </nav>
      <p className="text-sm text-muted-foreground">
        Ce que votre organisation doit faire cette année et pour quand, d'après la convention cadre (Titre 1,
        art. 8, art. 10, Titre 5). Les échéances dépassées sont rappelées par courriel.
      </p>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      {result && "feedUrl" in result && result.feedUrl && (
        <p className="break-all rounded border bg-muted p-2 font-mono text-sm">{result.feedUrl}</p>
      )}
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Échéance (dernier jour)</TableHead>
            <TableHead>Obligation</TableHead>
            <TableHead>Détail</TableHead>
            <TableHead>État</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.length === 0 && (
            <TableRow>
              <TableCell colSpan={4}>Aucune obligation pour votre organisation cette année.</TableCell>
            </TableRow>
          )}
          {items.map((item) => (
            <TableRow key={item.key}>
              <TableCell>
                {formatParis(item.lastDay, item.event ? "d MMMM yyyy 'à' HH'h'mm" : "d MMMM yyyy")}
              </TableCell>
              <TableCell>{OBLIGATION_KIND_LABELS[item.kind]}</TableCell>
              <TableCell>
                <Link to={item.url} className="underline">
                  {item.subject}
                </Link>
              </TableCell>
              <TableCell>
                <Badge className={STATUS_CLASSES[item.status]}>{item.statusText}</Badge>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Card>
        <CardHeader>
          <CardTitle>Dans votre agenda (iCalendar)</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3 text-sm">
          <p>
            Abonnez votre application d'agenda à une adresse secrète, personnelle : elle donne ces échéances à
            qui la connaît. Une nouvelle adresse remplace la précédente.
          </p>
          <div className="flex gap-2">
            <IntentForm
              intent="create-feed"
              fields={{}}
              label={hasFeed ? "Remplacer l'adresse du flux" : "Créer l'adresse du flux"}
              confirm={hasFeed ? "L'adresse actuelle cessera de fonctionner. Continuer ?" : undefined}
            />
            {hasFeed && (
              <IntentForm
                intent="revoke-feed"
                fields={{}}
                label="Désactiver le flux"
                confirm="Votre application d'agenda ne recevra plus ces échéances. Continuer ?"
              />
            )}
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
