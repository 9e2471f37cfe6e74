import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Input } from "~/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { ORGANISATION_KIND_LABELS } from "~/lib/labels";
import { listOrganisations } from "~/models/organisations.server";

export const meta: MetaFunction = () => [{ title: "Annuaire des partenaires — Portail flux MEL" }];

export const loader = withHttpErrors(async ({ request, context }: LoaderFunctionArgs) => {
  const organisations = await listOrganisations(await requireActor(request, context));
  return {
    organisations: organisations.map((o) => ({ ...o, kindLabel: ORGANISATION_KIND_LABELS[o.kind] })),
  };
});

export default function DirectoryPage() {
  const { organisations } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const query = (params.get("q") ?? "").toLowerCase();
  const shown = organisations.filter(
    (o) =>
      !query ||
      o.name.toLowerCase().includes(query) ||
      (o.inseeCode ?? "").includes(query) ||
      o.kindLabel.toLowerCase().includes(query),
  );
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Annuaire des partenaires</h1>
      <div className="max-w-sm">
        <label htmlFor="q" className="text-sm font-medium">
          Rechercher (nom, type, code INSEE)
        </label>
        <Input
          id="q"
          type="search"
          value={params.get("q") ?? ""}
          onChange={(e) => setParams({ q: e.target.value }, { replace: true })}
        />
      </div>
      <p className="text-sm text-muted-foreground" aria-live="polite">
        {shown.length} organisation{shown.length > 1 ? "s" : ""}
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
          {shown.map((o) => (
            <TableRow key={o.id}>
              <TableCell>{o.name}</TableCell>
              <TableCell>{o.kindLabel}</TableCell>
              <TableCell>{o.inseeCode ?? "—"}</TableCell>
              <TableCell>{o.siren ?? "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
