import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ensureCan } from "#policies/guard.server";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { requireActor } from "~/lib/actor.server";
import { formatParis } from "~/lib/dates";
import { latestMails } from "~/models/outbox.server";

export const meta: MetaFunction = () => [{ title: "Boîte d'envoi — Portail flux MEL" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  ensureCan(
    actor.ability,
    "read",
    "EmailOutbox",
    "La boîte d'envoi est réservée aux administrateurs de la MEL.",
  );
  return { mails: await latestMails(), smtp: Boolean(process.env.SMTP_URL) };
}

export default function OutboxPage() {
  const { mails, smtp } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Boîte d'envoi des courriels</h1>
      {!smtp && (
        <Alert>
          SMTP n'est pas configuré (SMTP_URL) : les courriels restent ici, sans être envoyés. Transmettez les
          liens à la main si besoin.
        </Alert>
      )}
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Créé le</TableHead>
            <TableHead>Destinataire</TableHead>
            <TableHead>Objet</TableHead>
            <TableHead>État</TableHead>
            <TableHead>Texte</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {mails.map((m) => (
            <TableRow key={m.id}>
              <TableCell className="whitespace-nowrap">
                {formatParis(m.createdAt, "dd/MM/yyyy HH:mm")}
              </TableCell>
              <TableCell>{m.to}</TableCell>
              <TableCell>{m.subject}</TableCell>
              <TableCell>
                {m.sentAt ? (
                  <Badge>Envoyé</Badge>
                ) : m.lastError ? (
                  <Badge title={m.lastError}>Échec ({m.attempts})</Badge>
                ) : (
                  <Badge>En attente</Badge>
                )}
              </TableCell>
              <TableCell>
                <pre className="max-w-xl whitespace-pre-wrap break-all text-xs">{m.text}</pre>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
