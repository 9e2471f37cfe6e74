import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { requireActor } from "~/lib/actor.server";
import { formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { idCursor } from "~/lib/input-fields";
import { AUDIT_PAGE_SIZE, listAuditEntries } from "~/models/audit-log.server";

export const meta: MetaFunction = () => [{ title: "Journal d'audit — Portail flux MEL" }];

export const loader = withHttpErrors(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context);
  const before = idCursor(new URL(request.url).searchParams.get("before"));
  const { entries, everything } = await listAuditEntries(actor, { before });
  return { entries, everything, hasMore: entries.length === AUDIT_PAGE_SIZE };
});

export default function AuditLogPage() {
  const { entries, everything, hasMore } = useLoaderData<typeof loader>();
  const last = entries.at(-1);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Journal d'audit</h1>
      <p className="text-sm text-muted-foreground">
        {everything ? "Toutes les organisations." : "Les actions faites au nom de votre organisation."} Le
        journal ne peut être ni modifié ni effacé.
      </p>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Date</TableHead>
            <TableHead>Qui</TableHead>
            <TableHead>Pour</TableHead>
            <TableHead>Action</TableHead>
            <TableHead>Objet</TableHead>
            <TableHead>Détail</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {entries.map((e) => (
            <TableRow key={e.id}>
              <TableCell className="whitespace-nowrap">{formatParis(e.at, "dd/MM/yyyy HH:mm:ss")}</TableCell>
              <TableCell>{e.actorEmail ?? "système"}</TableCell>
              <TableCell>{e.organisationName ?? "—"}</TableCell>
              <TableCell className="font-mono text-xs">{e.action}</TableCell>
              <TableCell className="text-xs">
                {e.subjectType} {e.subjectId?.slice(0, 8)}
              </TableCell>
              <TableCell className="max-w-md break-all font-mono text-xs">
                {e.before ? `avant ${JSON.stringify(e.before)} ` : ""}
                {e.after ? `après ${JSON.stringify(e.after)}` : ""}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {last && hasMore && (
        <Link className="text-primary underline" to={`?before=${last.id}`}>
          Entrées plus anciennes
        </Link>
      )}
    </div>
  );
}
