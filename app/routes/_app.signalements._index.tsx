import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ensureCan, reachesAll } from "#policies/guard.server";
import { CsrfInput } from "~/components/csrf-input";
import { SelectFilter } from "~/components/filter-fields";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import {
  ageInDays,
  isAwaitingAcknowledgementTooLong,
  PUBLIC_CATEGORIES,
  PUBLIC_CATEGORY_LABELS,
  SIGNALEMENT_STATUSES,
  STATUS_LABELS,
  URGENCIES,
  URGENCY_LABELS,
} from "~/domain/signalement";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { communeOptions } from "~/lib/communes.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatParis } from "~/lib/dates";
import { formatNumber } from "~/lib/french";
import { withHttpErrors } from "~/lib/http.server";
import { parseSignalementFilters } from "~/lib/signalement-schemas";
import { bailleurChoices } from "~/models/bailleurs.server";
import {
  ackAlertDays,
  countByStatus,
  listSignalements,
  SIGNALEMENT_PAGE_SIZE,
  STATUS_COUNT_CAP,
  setSignalementMailMode,
  signalementMailMode,
} from "~/models/signalements.server";

export const meta: MetaFunction = () => [{ title: "Signalements — Portail flux MEL" }];

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const formData = await readProtectedForm(request);
    const mode = formData.get("signalementMails");
    if (mode !== "immediate" && mode !== "digest")
      return failed("Choisissez : chaque courriel ou un résumé par jour.");
    await setSignalementMailMode(actor, mode);
    return succeeded(
      mode === "digest"
        ? "Vous recevrez un résumé des signalements chaque jour."
        : "Vous recevrez un courriel à chaque nouveauté.",
    );
  });

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "read", "Signalement");
  const url = new URL(request.url);
  const parsed = parseSignalementFilters(url.searchParams);
  const filters = parsed.success ? parsed.data : {};
  // Two statements on two connections: PostgreSQL runs them side by side.
  const [found, counts, bailleurs] = await Promise.all([
    listSignalements(actor, filters),
    countByStatus(actor),
    actor.organisation.kind === "bailleur" ? [] : bailleurChoices(actor),
  ]);
  // Only what the board shows goes to the browser (personal data: least shown; a lighter page).
  const rows = found.map((r) => ({
    id: r.id,
    numeroUnique: r.numeroUnique,
    communeName: r.communeName,
    publicCategory: r.publicCategory,
    urgency: r.urgency,
    bailleurs: r.bailleurs.map((b) => b.name).join(", "),
    status: r.status,
    createdAt: r.createdAt,
    followedElsewhere: "followedElsewhere" in r && r.followedElsewhere,
  }));
  return {
    kind: actor.organisation.kind,
    filters,
    /** Keyset cursor of the next page (the last row's id), when this page is full. */
    next: found.length === SIGNALEMENT_PAGE_SIZE ? found.at(-1)?.id : undefined,
    rows,
    counts,
    countCap: STATUS_COUNT_CAP,
    isMel: reachesAll(actor.ability, "read", "Signalement"),
    alertDays: ackAlertDays(),
    now: new Date().toISOString(),
    canCreate: actor.ability.can("create", "Signalement"),
    invalidFilters: parsed.success ? undefined : parsed.error.issues.map((i) => i.message).join(" "),
    communes: actor.organisation.kind === "commune" ? [] : communeOptions(),
    bailleurs,
    mailMode: await signalementMailMode(actor),
    query: url.search,
  };
}

export default function SignalementsBoard() {
  const {
    kind,
    filters,
    next,
    rows,
    counts,
    countCap,
    isMel,
    alertDays,
    now,
    canCreate,
    invalidFilters,
    communes,
    bailleurs,
    mailMode,
    query,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const today = new Date(now);
  const exportQuery = new URLSearchParams(query);
  exportQuery.delete("after");
  const suffix = exportQuery.toString() ? `?${exportQuery}` : "";
  const withCursor = (after: string | undefined) => {
    const q = new URLSearchParams(query);
    if (after) q.set("after", after);
    else q.delete("after");
    return `?${q}`;
  };
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Signalements</h1>
        {canCreate && (
          <Button asChild>
            <Link to="/signalements/nouveau">Signaler un ménage</Link>
          </Button>
        )}
        {isMel && (
          <Button asChild variant="outline">
            <Link to="/signalements/tableau">Tableau par commune et par bailleur</Link>
          </Button>
        )}
      </div>
      <p className="text-sm text-muted-foreground">
        {kind === "commune"
          ? "Les ménages signalés par votre commune aux bailleurs, sur le contingent de la MEL."
          : kind === "bailleur"
            ? "Les ménages que les communes vous ont signalés."
            : "Tous les signalements de la métropole."}{" "}
        Un signalement sans accusé de réception depuis {alertDays} jours est signalé en rouge.
      </p>

      <Card>
        <CardHeader>
          <CardTitle>Par statut</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-wrap gap-2">
          {SIGNALEMENT_STATUSES.map((s) => (
            <Link key={s} to={`?status=${s}`} className="focus:outline-none focus:ring-2 focus:ring-ring">
              <Badge className={filters.status === s ? "bg-primary text-primary-foreground" : undefined}>
                {STATUS_LABELS[s]} :{" "}
                {(counts[s] ?? 0) > countCap ? `plus de ${formatNumber(countCap)}` : (counts[s] ?? 0)}
              </Badge>
            </Link>
          ))}
        </CardContent>
      </Card>

      <Form method="post" className="flex flex-wrap items-end gap-2">
        <CsrfInput />
        <SelectFilter
          name="signalementMails"
          label="Mes courriels de signalements"
          defaultValue={mailMode}
          allLabel={null}
          options={[
            { value: "immediate", label: "Un courriel à chaque nouveauté" },
            { value: "digest", label: "Un résumé par jour" },
          ]}
        />
        <Button type="submit" size="sm" variant="outline">
          Enregistrer
        </Button>
        {result && (
          <p role="status" className="text-sm">
            {result.message}
          </p>
        )}
      </Form>
      {invalidFilters && (
        <Alert variant="destructive" role="alert">
          Filtres ignorés : {invalidFilters}
        </Alert>
      )}
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filtres">
        <SelectFilter
          name="status"
          label="Statut"
          defaultValue={filters.status ?? ""}
          options={SIGNALEMENT_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
        />
        {communes.length > 0 && (
          <SelectFilter
            name="commune"
            label="Commune"
            allLabel="Toutes"
            defaultValue={filters.commune ?? ""}
            options={communes.map((c) => ({ value: c.code, label: c.name }))}
          />
        )}
        {bailleurs.length > 0 && (
          <SelectFilter
            name="bailleur"
            label="Bailleur"
            defaultValue={filters.bailleur ?? ""}
            options={bailleurs.map((b) => ({ value: b.slug, label: b.name }))}
          />
        )}
        <SelectFilter
          name="publicCategory"
          label="Public"
          defaultValue={filters.publicCategory ?? ""}
          options={PUBLIC_CATEGORIES.map((c) => ({ value: c, label: PUBLIC_CATEGORY_LABELS[c] }))}
        />
        <SelectFilter
          name="urgency"
          label="Urgence"
          allLabel="Toutes"
          defaultValue={filters.urgency ?? ""}
          options={URGENCIES.map((u) => ({ value: u, label: URGENCY_LABELS[u] }))}
        />
        <div className="space-y-1.5">
          <Label htmlFor="from">Envoyé du</Label>
          <Input id="from" name="from" type="date" defaultValue={filters.from ?? ""} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="to">au</Label>
          <Input id="to" name="to" type="date" defaultValue={filters.to ?? ""} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="numeroUnique">Numéro unique</Label>
          <Input
            id="numeroUnique"
            name="numeroUnique"
            defaultValue={filters.numeroUnique ?? ""}
            placeholder="059 2401 00123 A"
          />
        </div>
        <Button type="submit" variant="outline">
          Filtrer
        </Button>
        <Button asChild variant="outline">
          <a href={`/signalements/export.csv${suffix}`}>Exporter en CSV</a>
        </Button>
        <Button asChild variant="outline">
          <a href={`/signalements/export.xlsx${suffix}`}>Exporter en XLSX</a>
        </Button>
      </Form>

      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Numéro unique</TableHead>
            {kind !== "commune" && <TableHead>Commune</TableHead>}
            <TableHead>Public</TableHead>
            <TableHead>Urgence</TableHead>
            <TableHead>Bailleurs</TableHead>
            <TableHead>Statut</TableHead>
            <TableHead>Envoyé le</TableHead>
            <TableHead>Âge</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.length === 0 && (
            <TableRow>
              <TableCell colSpan={8}>Aucun signalement.</TableCell>
            </TableRow>
          )}
          {rows.map((r) => {
            const late = isAwaitingAcknowledgementTooLong(r.status, new Date(r.createdAt), today, alertDays);
            return (
              <TableRow key={r.id} className={late ? "bg-red-50" : undefined}>
                <TableCell>
                  <Link to={`/signalements/${r.id}`} className="underline">
                    {r.numeroUnique ?? "(anonymisé)"}
                  </Link>
                  {r.followedElsewhere && (
                    <Badge className="ml-2 border-amber-600 text-amber-800">Suivi ailleurs</Badge>
                  )}
                </TableCell>
                {kind !== "commune" && <TableCell>{r.communeName}</TableCell>}
                <TableCell>{PUBLIC_CATEGORY_LABELS[r.publicCategory]}</TableCell>
                <TableCell>{URGENCY_LABELS[r.urgency]}</TableCell>
                <TableCell>{r.bailleurs}</TableCell>
                <TableCell>
                  {STATUS_LABELS[r.status]}
                  {late && (
                    <span className="ml-2 font-semibold text-destructive">Sans accusé de réception</span>
                  )}
                </TableCell>
                <TableCell>{formatParis(r.createdAt, "d MMM yyyy")}</TableCell>
                <TableCell>{ageInDays(new Date(r.createdAt), today)} j</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <nav className="flex gap-2" aria-label="Pages">
        {filters.after && (
          <Button asChild variant="outline" size="sm">
            <Link to={withCursor(undefined)}>Première page</Link>
          </Button>
        )}
        {next && (
          <Button asChild variant="outline" size="sm">
            <Link to={withCursor(next)}>Page suivante</Link>
          </Button>
        )}
      </nav>
    </div>
  );
}
