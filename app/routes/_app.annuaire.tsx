import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { PageLinks } from "~/components/page-links";
import { Button } from "~/components/ui/button";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { requireActor } from "~/lib/actor.server";
import { formatNumber } from "~/lib/french";
import { withHttpErrors } from "~/lib/http.server";
import { ORGANISATION_KIND_LABELS } from "~/lib/labels";
import { pageField } from "~/lib/validation";
import { directoryPage } from "~/models/organisations.server";
import { parseReportFilters } from "~/models/reports.server";

export const meta: MetaFunction = () => [{ title: "Annuaire des partenaires — Portail flux MEL" }];

const directoryQuerySchema = z.object({ q: z.string().trim().optional(), page: pageField });

export const loader = withHttpErrors(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context);
  const query = parseReportFilters(new URL(request.url).searchParams, directoryQuerySchema);
  return { q: query.q ?? "", ...(await directoryPage(actor, query)) };
});

export default function DirectoryPage() {
  const { q, organisations, total, page, pageCount } = useLoaderData<typeof loader>();
  const pageLink = (n: number) => `?${new URLSearchParams(q ? { q, page: String(n) } : { page: String(n) })}`;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Annuaire des partenaires</h1>
      <Form method="get" className="flex flex-wrap items-end gap-2" role="search">
        <div className="space-y-1.5">
          <Label htmlFor="q">Rechercher (nom, type, code INSEE, SIREN)</Label>
          {/* Keyed by the search: going back in history shows the text of the page shown. */}
          <Input key={q} id="q" name="q" type="search" defaultValue={q} className="w-80" />
        </div>
        <Button type="submit" variant="outline">
          Rechercher
        </Button>
      </Form>
      <p className="text-sm text-muted-foreground" role="status">
        {formatNumber(total)} organisation{total > 1 ? "s" : ""}
      </p>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Organisation</TableHead>
            <TableHead>Type</TableHead>
            <TableHead>Code INSEE</TableHead>
            <TableHead>SIREN</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {organisations.length === 0 && (
            <TableRow>
              <TableCell colSpan={4}>Aucune organisation ne correspond à cette recherche.</TableCell>
            </TableRow>
          )}
          {organisations.map((o) => (
            <TableRow key={o.id}>
              <TableCell>{o.name}</TableCell>
              <TableCell>{ORGANISATION_KIND_LABELS[o.kind]}</TableCell>
              <TableCell>{o.inseeCode ?? "—"}</TableCell>
              <TableCell>{o.siren ?? "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <PageLinks page={page} pageCount={pageCount} href={pageLink} />
    </div>
  );
}
