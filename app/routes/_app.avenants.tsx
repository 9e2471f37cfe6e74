import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import type { AvenantStatus } from "#db/schema";
import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { CsrfInput } from "~/components/csrf-input";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { AVENANT_STATUS_LABELS, canApply } from "~/domain/avenant-status";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { auditActorOf, requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { contestFormSchema, formatRate } from "~/lib/cycle-validation";
import { formatParis } from "~/lib/dates";
import { forbidden } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { publicationOf } from "~/models/assiette.server";
import {
  answerAvenant,
  avenantJson,
  avenantSubject,
  formatLastDay,
  generateAvenants,
  getAvenant,
  listAvenants,
  reviseAvenant,
  sendAvenant,
  withdrawAvenant,
} from "~/models/avenants.server";

export const meta: MetaFunction = () => [{ title: "Courriers valant avenant — Portail flux MEL" }];

/** Board order: what needs someone's action first. */
const STATUS_ORDER: AvenantStatus[] = [
  "contested",
  "draft",
  "sent",
  "accepted",
  "tacitly_accepted",
  "withdrawn",
];

function yearOf(request: Request): number {
  const raw = new URL(request.url).searchParams.get("annee");
  if (raw && /^\d{4}$/.test(raw)) return Number(raw);
  return Number(formatParis(new Date(), "yyyy"));
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "read", "Avenant");
  const year = yearOf(request);
  const now = new Date();
  const rows = (await listAvenants(actor.organisation.id, year)).filter((r) =>
    actor.ability.can("read", asSubject("Avenant", avenantSubject(r.avenant))),
  );
  const own = { organisationId: actor.organisation.id, partyIds: [actor.organisation.id] };
  return {
    year,
    published: (await publicationOf(year)) !== null,
    canGenerate: actor.ability.can("create", asSubject("Avenant", own)),
    letters: rows.map((r) => {
      const subject = avenantSubject(r.avenant);
      const json = avenantJson(r.avenant, r);
      const endsAt = r.avenant.deadlineEndsAt;
      const open = r.avenant.status === "sent" && endsAt !== null && now < endsAt;
      return {
        ...json,
        side:
          r.avenant.reservataireId === actor.organisation.id
            ? ("reservataire" as const)
            : ("bailleur" as const),
        deemedAcceptedOn: json.deadline ? formatLastDay(json.deadline.lastDay) : null,
        daysLeft: open ? Math.ceil((endsAt!.getTime() - now.getTime()) / 86_400_000) : null,
        canSend:
          actor.ability.can("create", asSubject("AvenantSending", subject)) &&
          (r.avenant.status === "draft" || r.avenant.status === "contested"),
        canWithdraw:
          actor.ability.can("create", asSubject("AvenantSending", subject)) &&
          canApply(r.avenant.status, "withdraw") &&
          (r.avenant.status !== "sent" || open),
        canRevise:
          actor.ability.can("update", asSubject("Avenant", subject)) && r.avenant.status === "contested",
        canAnswer: actor.ability.can("create", asSubject("AvenantAnswer", subject)) && open,
      };
    }),
  };
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("generate"), year: z.coerce.number().int().min(2015).max(2100) }),
  z.object({ intent: z.literal("send"), id: z.uuid() }),
  z.object({ intent: z.literal("maintain"), id: z.uuid() }),
  z.object({ intent: z.literal("withdraw"), id: z.uuid() }),
  z.object({ intent: z.literal("revise"), id: z.uuid(), rate: z.string().optional() }),
  z.object({ intent: z.literal("accept"), id: z.uuid() }),
  z.object({ intent: z.literal("contest"), id: z.uuid(), reason: z.string().optional() }),
]);

export const action = ({ request, context }: ActionFunctionArgs) => attempt(() => act(request, context));

async function act(request: Request, context: ActionFunctionArgs["context"]) {
  const actor = await requireActor(request, context);
  const formData = await readProtectedForm(request);
  const intent = intentSchema.safeParse(Object.fromEntries(formData));
  if (!intent.success) return failed("Action inconnue : rechargez la page.");
  const input = intent.data;
  const who = auditActorOf(actor);
  const baseUrl = publicUrl();

  if (input.intent === "generate") {
    ensureCan(
      actor.ability,
      "create",
      "Avenant",
      "Seul un réservataire prépare des courriers valant avenant.",
    );
    ensureCanOn(actor.ability, "create", "Avenant", {
      organisationId: actor.organisation.id,
      partyIds: [actor.organisation.id],
    });
    const result = await generateAvenants(who, {
      reservataireId: actor.organisation.id,
      reservataireKind: actor.organisation.kind,
      year: input.year,
    });
    return succeeded(
      `${result.created} courrier(s) préparé(s)${result.existing ? `, ${result.existing} existai(en)t déjà` : ""}.`,
    );
  }
  const row = await getAvenant(input.id);
  ensureCanOn(actor.ability, "read", "Avenant", row ? avenantSubject(row) : undefined, "Ce courrier");
  const subject = avenantSubject(row!);
  const may = (action: "create" | "update", type: "Avenant" | "AvenantSending" | "AvenantAnswer") => {
    if (!actor.ability.can(action, asSubject(type, subject))) throw forbidden();
  };
  if (input.intent === "send" || input.intent === "maintain") {
    may("create", "AvenantSending");
    const sent = await sendAvenant(who, { id: input.id, event: input.intent, baseUrl });
    return succeeded(
      `Courrier envoyé : réputé accepté le ${formatLastDay(sent.deadlineLastDay!)} sans réaction.`,
    );
  }
  if (input.intent === "withdraw") {
    may("create", "AvenantSending");
    await withdrawAvenant(who, { id: input.id, baseUrl });
    return succeeded("Courrier retiré.");
  }
  if (input.intent === "revise") {
    may("update", "Avenant");
    const raw = input.rate?.trim();
    let rateBp: number | undefined;
    if (raw) {
      if (!/^\d{1,3}([.,]\d{1,2})?$/.test(raw))
        return failed("Taux invalide.", { rate: "Indiquez un taux en %, par exemple 12,5." });
      rateBp = Math.round(Number(raw.replace(",", ".")) * 100);
    }
    await reviseAvenant(who, { id: input.id, reservataireKind: actor.organisation.kind, rateBp });
    return succeeded("Courrier révisé : il repasse en brouillon, à renvoyer par votre signataire.");
  }
  may("create", "AvenantAnswer");
  if (input.intent === "accept") {
    await answerAvenant(who, { id: input.id, event: "accept", baseUrl });
    return succeeded("Courrier accepté : le réservataire est informé.");
  }
  const parsed = contestFormSchema.safeParse({ reason: input.reason });
  if (!parsed.success)
    return failed("La contestation n'est pas enregistrée.", { reason: parsed.error.issues[0]!.message });
  await answerAvenant(who, { id: input.id, event: "contest", reason: parsed.data.reason, baseUrl });
  return succeeded("Contestation envoyée au réservataire.");
}

function ContestForm({ id, error }: { id: string; error?: string }) {
  const busy = useNavigation().state !== "idle";
  return (
    <details>
      <summary className="cursor-pointer text-sm underline">Contester…</summary>
      <Form
        method="post"
        className="mt-2 space-y-2"
        onSubmit={(event) => {
          if (!window.confirm("Envoyer la contestation au réservataire ?")) event.preventDefault();
        }}
      >
        <CsrfInput />
        <input type="hidden" name="intent" value="contest" />
        <input type="hidden" name="id" value={id} />
        <Label htmlFor={`reason-${id}`}>Motif de la contestation</Label>
        <textarea
          id={`reason-${id}`}
          name="reason"
          required
          minLength={10}
          maxLength={2000}
          rows={3}
          aria-invalid={error ? true : undefined}
          className="w-full rounded-md border border-input bg-background p-2 text-sm"
        />
        {error && <p className="text-sm text-destructive">{error}</p>}
        <Button size="sm" variant="destructive" disabled={busy}>
          Contester
        </Button>
      </Form>
    </details>
  );
}

function ReviseForm({ id, rateBp }: { id: string; rateBp: number }) {
  const busy = useNavigation().state !== "idle";
  return (
    <details>
      <summary className="cursor-pointer text-sm underline">Réviser…</summary>
      <Form method="post" className="mt-2 flex items-end gap-2">
        <CsrfInput />
        <input type="hidden" name="intent" value="revise" />
        <input type="hidden" name="id" value={id} />
        <div>
          <Label htmlFor={`rate-${id}`}>Nouveau taux (%)</Label>
          <Input
            id={`rate-${id}`}
            name="rate"
            inputMode="decimal"
            className="w-24"
            defaultValue={String(rateBp / 100).replace(".", ",")}
          />
        </div>
        <Button size="sm" variant="outline" disabled={busy}>
          Réviser
        </Button>
      </Form>
    </details>
  );
}

export default function AvenantsBoard() {
  const { year, published, canGenerate, letters } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const groups = STATUS_ORDER.map((status) => ({
    status,
    letters: letters.filter((l) => l.status === status),
  })).filter((g) => g.letters.length > 0);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Courriers valant avenant {year}</h1>
        <nav aria-label="Années" className="flex gap-2 text-sm">
          <Link className="underline" to={`/avenants?annee=${year - 1}`}>
            ← {year - 1}
          </Link>
          <Link className="underline" to={`/avenants?annee=${year + 1}`}>
            {year + 1} →
          </Link>
        </nav>
      </div>
      <p className="text-sm text-muted-foreground">
        Sans réaction du bailleur dans les deux mois suivant l'envoi, un courrier est réputé accepté à la fin
        du jour d'échéance (heure de Paris). Les droits acceptés sont les droits de l'année.
      </p>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      {canGenerate && (
        <Card>
          <CardHeader>
            <CardTitle>Préparer les courriers {year}</CardTitle>
            <CardDescription>
              {published
                ? "Un brouillon par bailleur sur lequel votre taux est positif, à partir de l'assiette publiée. Sans effet sur les courriers déjà préparés."
                : `L'assiette ${year} n'est pas encore publiée par l'État.`}
            </CardDescription>
          </CardHeader>
          {published && (
            <CardContent>
              <IntentForm intent="generate" fields={{ year: String(year) }} label="Préparer les courriers" />
            </CardContent>
          )}
        </Card>
      )}
      {groups.length === 0 && <p className="text-sm text-muted-foreground">Aucun courrier pour {year}.</p>}
      {groups.map((group) => (
        <Card key={group.status}>
          <CardHeader>
            <CardTitle>
              {AVENANT_STATUS_LABELS[group.status]} ({group.letters.length})
            </CardTitle>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Réservataire → bailleur</TableHead>
                  <TableHead className="text-right">Flux H</TableHead>
                  <TableHead className="text-right">Taux</TableHead>
                  <TableHead className="text-right">Droits</TableHead>
                  <TableHead>Échéance</TableHead>
                  <TableHead>Actions</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {group.letters.map((l) => (
                  <TableRow key={l.id} id={l.id}>
                    <TableCell>
                      {l.reservataire.name} → {l.bailleur.name}
                      {l.contestReason && (
                        <p className="mt-1 text-sm">
                          <strong>Motif :</strong> {l.contestReason}
                        </p>
                      )}
                    </TableCell>
                    <TableCell className="text-right">{l.fluxH.toLocaleString("fr-FR")}</TableCell>
                    <TableCell className="text-right">{formatRate(l.rateBp)}</TableCell>
                    <TableCell className="text-right">
                      {l.rights.rounded.toLocaleString("fr-FR")}
                      <span className="block text-xs text-muted-foreground">
                        exact {l.rights.exact.toLocaleString("fr-FR", { maximumFractionDigits: 3 })}
                      </span>
                    </TableCell>
                    <TableCell>
                      {l.deemedAcceptedOn ? (
                        <>
                          {l.deemedAcceptedOn}
                          {l.daysLeft !== null && (
                            <Badge className="ml-2">
                              {l.daysLeft <= 1 ? "dernier jour" : `J − ${l.daysLeft}`}
                            </Badge>
                          )}
                        </>
                      ) : (
                        "—"
                      )}
                    </TableCell>
                    <TableCell className="space-y-1">
                      <a className="block text-sm underline" href={`/avenants/${l.id}/courrier.pdf`}>
                        Courrier (PDF)
                      </a>
                      {l.canSend && (
                        <IntentForm
                          intent={l.status === "contested" ? "maintain" : "send"}
                          fields={{ id: l.id }}
                          variant="default"
                          label={l.status === "contested" ? "Maintenir et renvoyer" : "Envoyer"}
                          ariaLabel={`${l.status === "contested" ? "Maintenir et renvoyer" : "Envoyer"} le courrier à ${l.bailleur.name}`}
                          confirm={`Envoyer le courrier à ${l.bailleur.name} ? Un délai de deux mois commence.`}
                        />
                      )}
                      {l.canRevise && <ReviseForm id={l.id} rateBp={l.rateBp} />}
                      {l.canWithdraw && (
                        <IntentForm
                          intent="withdraw"
                          fields={{ id: l.id }}
                          variant="destructive"
                          label="Retirer"
                          ariaLabel={`Retirer le courrier à ${l.bailleur.name}`}
                          confirm={`Retirer le courrier à ${l.bailleur.name} ? C'est définitif${l.status === "draft" ? "" : " ; le bailleur en est informé"}.`}
                        />
                      )}
                      {l.canAnswer && (
                        <>
                          <IntentForm
                            intent="accept"
                            fields={{ id: l.id }}
                            variant="default"
                            label="Accepter"
                            ariaLabel={`Accepter le courrier de ${l.reservataire.name}`}
                            confirm={`Accepter le courrier de ${l.reservataire.name} (${l.rights.rounded} attributions) ? C'est définitif.`}
                          />
                          <ContestForm
                            id={l.id}
                            error={result && !result.ok ? result.errors.reason : undefined}
                          />
                        </>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      ))}
    </div>
  );
}
