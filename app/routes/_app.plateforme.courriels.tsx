import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { SelectFilter } from "~/components/filter-fields";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { MAIL_STATUSES, type MailStatus } from "~/domain/mail-status";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { idCursor } from "~/lib/input-fields";
import { listMails, resendMail } from "~/models/outbox.server";

export const meta: MetaFunction = () => [{ title: "Boîte d'envoi — Portail flux MEL" }];

/** The URL's words for the statuses (the page's filter is kept in the URL, in French). */
const STATUS_PARAMS: Record<string, MailStatus> = {
  "en-attente": "pending",
  "nouvelle-tentative": "retrying",
  envoye: "sent",
  "echec-definitif": "failed",
};
const PARAM_OF = Object.fromEntries(Object.entries(STATUS_PARAMS).map(([param, status]) => [status, param]));

export const loader = withHttpErrors(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context);
  const params = new URL(request.url).searchParams;
  const { mails, next } = await listMails(actor, {
    search: params.get("q") ?? undefined,
    status: STATUS_PARAMS[params.get("etat") ?? ""],
    before: idCursor(params.get("before")),
  });
  return { mails, next, smtp: Boolean(process.env.SMTP_URL) };
});

const resendSchema = z.object({ intent: z.literal("resend"), id: z.coerce.number().int().positive() });

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const input = resendSchema.safeParse(Object.fromEntries(await readProtectedForm(request)));
    if (!input.success) return failed("Action inconnue : rechargez la page.");
    await resendMail(actor, input.data.id);
    return succeeded("Courriel remis en attente : il repart au prochain passage de l'envoi.");
  });

const STATUS_STYLES: Record<MailStatus, string> = {
  pending: "",
  retrying: "border-amber-600/40 bg-amber-50 text-amber-900",
  sent: "border-green-700/40 bg-green-50 text-green-900",
  failed: "border-destructive/50 bg-red-50 text-destructive",
};

export default function OutboxPage() {
  const { mails, next, smtp } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const nextPage = new URLSearchParams(params);
  if (next) nextPage.set("before", String(next));
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Boîte d'envoi des courriels</h1>
      {!smtp && (
        <Alert>
          SMTP n'est pas configuré (SMTP_URL) : les courriels restent ici, sans être envoyés. Transmettez les
          liens à la main si besoin.
        </Alert>
      )}
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Rechercher des courriels">
        <div className="space-y-1.5">
          <Label htmlFor="q">Destinataire ou objet</Label>
          <Input id="q" name="q" type="search" defaultValue={params.get("q") ?? ""} className="w-72" />
        </div>
        <SelectFilter
          name="etat"
          label="État"
          defaultValue={params.get("etat") ?? ""}
          options={Object.entries(MAIL_STATUSES).map(([status, label]) => ({
            value: PARAM_OF[status]!,
            label,
          }))}
        />
        <Button type="submit">Rechercher</Button>
      </Form>
      {mails.length === 0 ? (
        <p className="text-sm text-muted-foreground">Aucun courriel ne correspond.</p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Créé le</TableHead>
              <TableHead>Destinataire</TableHead>
              <TableHead>Objet et message</TableHead>
              <TableHead>État</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {mails.map((m) => (
              <TableRow key={m.id} className="align-top">
                <TableCell className="whitespace-nowrap">
                  {formatParis(m.createdAt, "dd/MM/yyyy HH:mm")}
                </TableCell>
                <TableCell className="break-words">{m.to}</TableCell>
                <TableCell className="max-w-2xl">
                  <details>
                    <summary className="cursor-pointer font-medium">{m.subject}</summary>
                    <div className="mt-2 whitespace-pre-wrap break-words rounded-md bg-muted p-3 text-sm leading-relaxed">
                      {m.text}
                    </div>
                  </details>
                </TableCell>
                <TableCell className="space-y-1">
                  <Badge className={STATUS_STYLES[m.status]}>{MAIL_STATUSES[m.status]}</Badge>
                  {m.sentAt && (
                    <p className="text-xs text-muted-foreground">
                      le {formatParis(m.sentAt, "dd/MM/yyyy HH:mm")}
                    </p>
                  )}
                  {m.status === "retrying" && (
                    <p className="text-xs text-muted-foreground">
                      {m.attempts} essai(s), prochain le {formatParis(m.nextAttemptAt, "dd/MM/yyyy HH:mm")}
                    </p>
                  )}
                  {m.lastError && <p className="max-w-xs break-words text-xs">{m.lastError}</p>}
                  {m.status === "failed" && (
                    <IntentForm
                      intent="resend"
                      fields={{ id: String(m.id) }}
                      label="Renvoyer"
                      ariaLabel={`Renvoyer le courriel à ${m.to}`}
                      confirm={`Renvoyer ce courriel à ${m.to} ? Il repart au prochain passage de l'envoi.`}
                    />
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {next && (
        <Link className="text-primary underline" to={`?${nextPage}`}>
          Courriels plus anciens
        </Link>
      )}
    </div>
  );
}
