import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import type { AvenantStatus } from "#db/schema";
import { asSubject } from "#policies/ability";
import { ConfirmForm } from "~/components/confirm-form";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { type AnsweredPart, CONTEST_PART_LABELS } from "~/domain/avenant-dispute";
import { AVENANT_STATUS_LABELS, canApply } from "~/domain/avenant-status";
import { DEADLINE_NOT_EXTENDED, deadlineEnd, frenchDay } from "~/domain/deadline";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { contestSchema, maintainSchema, percentField, reviseSchema } from "~/lib/avenant-validation";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatRate } from "~/lib/cycle-validation";
import { formatParis, parisYear } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { publicUrl, yearQuery } from "~/lib/route-params.server";
import { fieldErrors } from "~/lib/validation";
import { assiettePublished } from "~/models/assiette.server";
import {
  acceptAvenant,
  contestAvenant,
  generateAvenants,
  listAvenants,
  maintainAvenant,
  reviseAvenant,
  sendAllAvenants,
  sendAvenant,
  statusLine,
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
  "replaced",
];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  // `?annee=`: the links mailed before the parameter took its English name (decision 0024).
  const year = yearQuery(request.url, "annee") ?? parisYear();
  const now = new Date();
  const [letters, published] = await Promise.all([listAvenants(actor, year), assiettePublished(actor, year)]);
  const may = (
    type: "AvenantSending" | "AvenantAnswer" | "AvenantAssietteAnswer",
    l: (typeof letters)[number],
  ) =>
    actor.ability.can(
      "create",
      asSubject(type, {
        organisationId: l.reservataire.id,
        bailleurId: l.bailleur.id,
        partyIds: [l.reservataire.id, l.bailleur.id],
      }),
    );
  const own = { organisationId: actor.organisation.id, partyIds: [actor.organisation.id] };
  const canSendOwn = actor.ability.can("create", asSubject("AvenantSending", own));
  return {
    year,
    published,
    canGenerate: actor.ability.can("create", asSubject("Avenant", own)),
    draftsToSend: canSendOwn
      ? letters.filter((l) => l.status === "draft" && l.reservataire.id === actor.organisation.id).length
      : 0,
    letters: letters.map((l) => {
      const endsAt = l.deadline ? new Date(l.deadline.endsAt) : null;
      const open = l.status === "sent" && endsAt !== null && now < endsAt;
      return {
        ...l,
        statusLine: statusLine(l),
        daysLeft: open ? Math.ceil((endsAt!.getTime() - now.getTime()) / 86_400_000) : null,
        canSend: may("AvenantSending", l) && l.status === "draft",
        canWithdraw:
          may("AvenantSending", l) && canApply(l.status, "withdraw") && (l.status !== "sent" || open),
        canAnswer: may("AvenantAnswer", l) && open,
        // The contested parts this actor answers: H for the État, the rate for the réservataire's signataire.
        answers: l.dispute.pending.filter((p) =>
          may(p === "h" ? "AvenantAssietteAnswer" : "AvenantSending", l),
        ) as AnsweredPart[],
        thread: l.dispute.thread.map((m) => ({
          ...m,
          when: `le ${frenchDay(m.at)} à ${formatParis(m.at, "HH:mm")}`,
        })),
      };
    }),
  };
}

const id = z.uuid();
const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("generate"), year: z.coerce.number().int().min(2015).max(2100) }),
  z.object({ intent: z.literal("send_all"), year: z.coerce.number().int().min(2015).max(2100) }),
  z.object({ intent: z.literal("send"), id }),
  z.object({ intent: z.literal("withdraw"), id }),
  z.object({ intent: z.literal("accept"), id }),
  z.object({ intent: z.literal("contest"), id, part: z.string().optional(), reason: z.string().optional() }),
  z.object({ intent: z.literal("revise"), id, reply: z.string().optional(), rate: z.string().optional() }),
  z.object({ intent: z.literal("maintain"), id, reply: z.string().optional() }),
]);

export const action = ({ request, context }: ActionFunctionArgs) => attempt(() => act(request, context));

/** Parses a step's fields with the API's schema: a French message per field, nothing written when wrong. */
function parsed<S extends z.ZodType>(schema: S, raw: unknown, what: string) {
  const result = schema.safeParse(raw);
  return result.success
    ? { data: result.data as z.output<S> }
    : {
        error: failed(
          `${what} n'est pas enregistrée : corrigez les champs indiqués.`,
          fieldErrors(result.error),
        ),
      };
}

async function act(request: Request, context: ActionFunctionArgs["context"]) {
  const actor = await requireActor(request, context);
  const formData = await readProtectedForm(request);
  const intent = intentSchema.safeParse(Object.fromEntries(formData));
  if (!intent.success) return failed("Action inconnue : rechargez la page.");
  const input = intent.data;
  const baseUrl = publicUrl();

  switch (input.intent) {
    case "generate": {
      const result = await generateAvenants(actor, { year: input.year });
      return succeeded(
        `${result.created} courrier(s) préparé(s)${result.existing ? `, ${result.existing} existai(en)t déjà` : ""}.${result.refused.map((r) => ` ${r.reason}`).join("")}`,
      );
    }
    case "send_all": {
      const { sent, refused } = await sendAllAvenants(actor, { year: input.year, baseUrl });
      const refusals = refused.map((r) => `${r.bailleur} : ${r.reason}`).join(" ; ");
      return refused.length === 0
        ? succeeded(`${sent} courrier(s) envoyé(s).`)
        : failed(`${sent} courrier(s) envoyé(s), ${refused.length} refusé(s) — ${refusals}`, {}, 409);
    }
    case "send": {
      const sent = await sendAvenant(actor, { id: input.id, baseUrl });
      return succeeded(
        `Courrier envoyé : sans réaction, il sera réputé accepté le ${deadlineEnd(sent.deadlineLastDay!)}.`,
      );
    }
    case "withdraw":
      await withdrawAvenant(actor, { id: input.id, baseUrl });
      return succeeded("Courrier retiré.");
    case "accept":
      await acceptAvenant(actor, { id: input.id, baseUrl });
      return succeeded("Courrier accepté : le réservataire est informé.");
    case "contest": {
      const p = parsed(contestSchema, input, "La contestation");
      if (p.error) return p.error;
      await contestAvenant(actor, { id: input.id, ...p.data, baseUrl });
      return succeeded("Contestation envoyée.");
    }
    case "revise": {
      const rate = percentField.safeParse(input.rate ?? "");
      if (!rate.success) return failed("Taux invalide.", { rate: rate.error.issues[0]!.message });
      const p = parsed(reviseSchema, { reply: input.reply, rateBp: rate.data }, "La révision");
      if (p.error) return p.error;
      const revised = await reviseAvenant(actor, { id: input.id, ...p.data, baseUrl });
      return succeeded(
        revised.status === "sent"
          ? "Courrier révisé et renvoyé : un nouveau délai de deux mois commence ; le bailleur a reçu votre réponse."
          : "Réponse envoyée au bailleur.",
      );
    }
    case "maintain": {
      const p = parsed(maintainSchema, input, "La réponse");
      if (p.error) return p.error;
      const maintained = await maintainAvenant(actor, { id: input.id, ...p.data, baseUrl });
      return succeeded(
        maintained.status === "sent"
          ? "Courrier maintenu et renvoyé : votre réponse est adressée au bailleur, un nouveau délai commence."
          : "Réponse envoyée au bailleur.",
      );
    }
  }
}

type Letter = ReturnType<typeof useLoaderData<typeof loader>>["letters"][number];

const textareaClass = "w-full rounded-md border border-input bg-background p-2 text-sm";

function ContestForm({ l, errors }: { l: Letter; errors: Record<string, string> }) {
  return (
    <details>
      <summary className="cursor-pointer text-sm underline">Contester…</summary>
      <ConfirmForm
        intent="contest"
        fields={{ id: l.id }}
        label="Contester"
        variant="destructive"
        title={`Contester le courrier de ${l.reservataire.name} ?`}
        description="La contestation suspend l'acceptation : la partie concernée vous répondra par écrit."
        confirmLabel="Envoyer la contestation"
        className="mt-2 space-y-2"
      >
        <fieldset className="space-y-1 text-sm">
          <legend>Ce que vous contestez</legend>
          {(["h", "rate", "both"] as const).map((part) => (
            <label key={part} className="flex items-center gap-2">
              <input type="radio" name="part" value={part} required defaultChecked={part === "both"} />
              {CONTEST_PART_LABELS[part]}
            </label>
          ))}
        </fieldset>
        <Label htmlFor={`reason-${l.id}`}>Motif de la contestation</Label>
        <textarea
          id={`reason-${l.id}`}
          name="reason"
          required
          minLength={10}
          maxLength={2000}
          rows={3}
          aria-invalid={errors.reason ? true : undefined}
          className={textareaClass}
        />
        {errors.reason && <p className="text-sm text-destructive">{errors.reason}</p>}
      </ConfirmForm>
    </details>
  );
}

/** The answer of the party that can change a contested part: revise (a new letter) or maintain, with a reply. */
function AnswerForms({ l, errors }: { l: Letter; errors: Record<string, string> }) {
  const onRate = l.answers.includes("rate");
  const parts = l.answers.map((p) => CONTEST_PART_LABELS[p]).join(" et ");
  const reply = (kind: string) => (
    <>
      <Label htmlFor={`${kind}-reply-${l.id}`}>
        Réponse au bailleur : motif {kind === "revise" ? "de la révision" : "du maintien"}
      </Label>
      <textarea
        id={`${kind}-reply-${l.id}`}
        name="reply"
        required
        minLength={10}
        maxLength={4000}
        rows={3}
        aria-invalid={errors.reply ? true : undefined}
        className={textareaClass}
      />
    </>
  );
  return (
    <div className="space-y-2">
      <details>
        <summary className="cursor-pointer text-sm underline">
          Réviser {onRate ? "le taux" : "l'assiette (H)"}…
        </summary>
        <ConfirmForm
          intent="revise"
          fields={{ id: l.id }}
          label="Réviser"
          variant="outline"
          ariaLabel={`Réviser le courrier à ${l.bailleur.name}`}
          title={onRate ? "Réviser le taux et renvoyer le courrier ?" : "Corriger l'assiette (H) ?"}
          description={
            onRate
              ? "Un nouveau courrier part au bailleur avec votre réponse ; un nouveau délai de deux mois commence."
              : "Votre réponse est adressée au bailleur ; l'assiette corrigée sera publiée par un rectificatif, qui remplacera ce courrier."
          }
          confirmLabel="Réviser"
          className="mt-2 space-y-2"
        >
          {onRate && (
            <div>
              <Label htmlFor={`rate-${l.id}`}>Nouveau taux (%)</Label>
              <Input
                id={`rate-${l.id}`}
                name="rate"
                inputMode="decimal"
                required
                className="w-24"
                defaultValue={String(l.rateBp / 100).replace(".", ",")}
              />
              {errors.rate && <p className="text-sm text-destructive">{errors.rate}</p>}
            </div>
          )}
          {reply("revise")}
        </ConfirmForm>
      </details>
      <details>
        <summary className="cursor-pointer text-sm underline">Maintenir {parts}…</summary>
        <ConfirmForm
          intent="maintain"
          fields={{ id: l.id }}
          label="Maintenir et répondre"
          ariaLabel={`Maintenir le courrier à ${l.bailleur.name}`}
          title={`Maintenir ${parts} ?`}
          description="Votre réponse est envoyée au bailleur, qui pourra porter le désaccord devant le comité de suivi. C'est définitif."
          confirmLabel="Maintenir et envoyer la réponse"
          className="mt-2 space-y-2"
        >
          {reply("maintain")}
        </ConfirmForm>
      </details>
      {errors.reply && <p className="text-sm text-destructive">{errors.reply}</p>}
    </div>
  );
}

const MESSAGE_LABELS = { contest: "Contestation", revise: "Révision", maintain: "Maintien" } as const;

function Thread({ l }: { l: Letter }) {
  if (l.thread.length === 0) return null;
  return (
    <ol className="mt-2 space-y-1 border-l-2 pl-2 text-sm" aria-label="Échanges sur la contestation">
      {l.thread.map((m) => (
        <li key={`${m.kind}-${m.part}-${String(m.at)}`}>
          <strong>
            {MESSAGE_LABELS[m.kind]} ({CONTEST_PART_LABELS[m.part]}
            {m.rateBp !== null ? ` : ${formatRate(m.rateBp)}` : ""})
          </strong>{" "}
          — {m.author.name} ({m.organisation.name}), {m.when} : {m.text}
        </li>
      ))}
      {l.dispute.awaitingRectificatif && (
        <li>L'État corrige l'assiette : un rectificatif remplacera ce courrier.</li>
      )}
    </ol>
  );
}

export default function AvenantsBoard() {
  const { year, published, canGenerate, draftsToSend, letters } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const sendingAll = navigation.state === "submitting" && navigation.formData?.get("intent") === "send_all";
  const errors = result && !result.ok ? result.errors : {};
  const groups = STATUS_ORDER.map((status) => ({
    status,
    letters: letters.filter((l) => l.status === status),
  })).filter((g) => g.letters.length > 0);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Courriers valant avenant {year}</h1>
        <nav aria-label="Années" className="flex gap-2 text-sm">
          <Link className="underline" to={`/avenants?year=${year - 1}`}>
            ← {year - 1}
          </Link>
          <Link className="underline" to={`/avenants?year=${year + 1}`}>
            {year + 1} →
          </Link>
        </nav>
      </div>
      <p className="text-sm text-muted-foreground">
        Sans réaction du bailleur dans les deux mois suivant l'envoi, un courrier est réputé accepté à la fin
        du jour d'échéance (24 h, heure de Paris). {DEADLINE_NOT_EXTENDED} Les droits acceptés sont les droits
        de l'année.
      </p>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      {canGenerate && (
        <Card>
          <CardHeader>
            <CardTitle>Préparer et envoyer les courriers {year}</CardTitle>
            <CardDescription>
              {published
                ? "Un brouillon par bailleur sur lequel votre taux est positif, à partir de l'assiette publiée. Sans effet sur les courriers déjà préparés."
                : `L'assiette ${year} n'est pas encore publiée par l'État.`}
            </CardDescription>
          </CardHeader>
          {published && (
            <CardContent className="flex flex-wrap items-center gap-2">
              <IntentForm intent="generate" fields={{ year: String(year) }} label="Préparer les courriers" />
              {draftsToSend > 0 && (
                <ConfirmForm
                  intent="send_all"
                  fields={{ year: String(year) }}
                  label={`Envoyer les ${draftsToSend} brouillon(s)`}
                  title={`Envoyer ${draftsToSend} courrier(s) ?`}
                  description={`Les ${draftsToSend} brouillon(s) ${year} partent aux bailleurs en une fois ; pour chacun, un délai de deux mois commence. C'est définitif.`}
                  confirmLabel={`Envoyer ${draftsToSend} courrier(s)`}
                />
              )}
              {sendingAll && (
                <p role="status" className="flex items-center gap-2 text-sm">
                  <progress aria-label="Envoi des courriers" /> Envoi de {draftsToSend} courrier(s) en cours…
                </p>
              )}
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
                  <TableHead>Échéance et réponse</TableHead>
                  <TableHead>Actions</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {group.letters.map((l) => (
                  <TableRow key={l.id} id={l.id}>
                    <TableCell>
                      {l.reservataire.name} → {l.bailleur.name}
                      <span className="block text-xs text-muted-foreground">
                        Assiette {l.year}, version {l.assietteVersion}
                      </span>
                      {l.replacedBy && (
                        <a className="block text-sm underline" href={`#${l.replacedBy}`}>
                          Remplacé par le nouveau courrier
                        </a>
                      )}
                      <Thread l={l} />
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
                      {l.deadline ? (
                        <>
                          Délai expirant le {l.deadline.label}
                          {l.daysLeft !== null && (
                            <Badge className="ml-2">
                              {l.daysLeft <= 1 ? "dernier jour" : `J − ${l.daysLeft}`}
                            </Badge>
                          )}
                        </>
                      ) : (
                        "—"
                      )}
                      {l.acceptedAt && <p className="mt-1 text-sm font-medium">{l.statusLine}</p>}
                    </TableCell>
                    <TableCell className="space-y-1">
                      <a className="block text-sm underline" href={`/avenants/${l.id}/courrier.pdf`}>
                        Courrier (PDF)
                      </a>
                      {l.canSend && (
                        <ConfirmForm
                          intent="send"
                          fields={{ id: l.id }}
                          label="Envoyer"
                          ariaLabel={`Envoyer le courrier à ${l.bailleur.name}`}
                          title={`Envoyer le courrier à ${l.bailleur.name} ?`}
                          description="Un délai de deux mois commence ; sans réaction du bailleur, le courrier sera réputé accepté. C'est définitif."
                          confirmLabel="Envoyer"
                        />
                      )}
                      {l.answers.length > 0 && <AnswerForms l={l} errors={errors} />}
                      {l.canWithdraw && (
                        <ConfirmForm
                          intent="withdraw"
                          fields={{ id: l.id }}
                          variant="destructive"
                          label="Retirer"
                          ariaLabel={`Retirer le courrier à ${l.bailleur.name}`}
                          title={`Retirer le courrier à ${l.bailleur.name} ?`}
                          description={`C'est définitif${l.status === "draft" ? "" : " ; le bailleur en est informé"}.`}
                          confirmLabel="Retirer"
                        />
                      )}
                      {l.canAnswer && (
                        <>
                          <ConfirmForm
                            intent="accept"
                            fields={{ id: l.id }}
                            label="Accepter"
                            ariaLabel={`Accepter le courrier de ${l.reservataire.name}`}
                            title={`Accepter le courrier de ${l.reservataire.name} ?`}
                            description={`${l.rights.rounded} attribution(s) pour ${l.year}, en votre nom et à cette date. C'est définitif.`}
                            confirmLabel="Accepter"
                          />
                          <ContestForm l={l} errors={errors} />
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
