import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { type CommuneChoice, CommuneMultiSelect, communeList } from "~/components/commune-multi-select";
import { useConfirmSubmit } from "~/components/confirm-dialog";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Label } from "~/components/ui/label";
import { NativeSelect } from "~/components/ui/native-select";
import {
  ATTRIBUTION_CONTINGENT_LABELS,
  ATTRIBUTION_CONTINGENTS,
  TRANSFER_LABELS,
  TRANSFERS,
} from "~/domain/attribution";
import {
  CONSTRUCTION_PERIOD_LABELS,
  CONSTRUCTION_PERIODS,
  FINANCING_LABELS,
  FINANCINGS,
  TYPOLOGIES,
  TYPOLOGY_LABELS,
} from "~/domain/housing";
import {
  CALEOL_DECISION_LABELS,
  CALEOL_DECISIONS,
  CLOSURE_REASON_LABELS,
  CLOSURE_REASONS,
  type EventDetails,
  eventsAllowed,
  INCOME_QUARTILES,
  isOpenStatus,
  PUBLIC_CATEGORIES,
  PUBLIC_CATEGORY_LABELS,
  SENSITIVE_DATA_WARNING,
  type SignalementEventType,
  STATUS_LABELS,
  URGENCIES,
  URGENCY_LABELS,
} from "~/domain/signalement";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { communeOptions } from "~/lib/communes.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatDay, formatParis, parisDay } from "~/lib/dates";
import { ordinal } from "~/lib/french";
import { withHttpErrors } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import {
  signalementCommentSchema,
  signalementCorrectionSchema,
  signalementEventSchema,
} from "~/lib/signalement-schemas";
import { parseFormData } from "~/lib/validation";
import { bailleurChoices } from "~/models/bailleurs.server";
import {
  addSignalementBailleur,
  addSignalementComment,
  assignSignalementHandler,
  correctSignalement,
  getSignalement,
  handlerChoices,
  recordSignalementEvent,
} from "~/models/signalements.server";

export const meta: MetaFunction = () => [{ title: "Signalement — Portail flux MEL" }];

/** The household's detail (the read is logged by the model); another commune's signalement answers 404. */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const signalement = await getSignalement(actor, params.id ?? "", "page");
  return {
    signalement,
    communes: communeOptions(),
    today: parisDay(new Date()),
    members: signalement.party && signalement.canUpdate ? await handlerChoices(actor) : [],
    bailleurChoices:
      signalement.party === "commune" && signalement.canUpdate ? await bailleurChoices(actor) : [],
  };
}

const intentSchema = z.object({ intent: z.enum(["event", "comment", "handler", "correct", "add-bailleur"]) });

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const formData = await readProtectedForm(request);
    const intent = intentSchema.safeParse({ intent: formData.get("intent") });
    if (!intent.success) return failed("Action inconnue : rechargez la page.");
    const options = { baseUrl: publicUrl() };
    if (intent.data.intent === "correct") {
      const parsed = parseFormData(formData, signalementCorrectionSchema, ["communesWanted"]);
      if (!parsed.ok)
        return failed("Le signalement n'est pas corrigé : corrigez le formulaire.", parsed.errors);
      await correctSignalement(actor, params.id ?? "", parsed.data);
      return succeeded("Signalement corrigé.");
    }
    if (intent.data.intent === "add-bailleur") {
      await addSignalementBailleur(
        actor,
        params.id ?? "",
        String(formData.get("bailleurSlug") ?? ""),
        options,
      );
      return succeeded("Bailleur ajouté : il est prévenu par courriel.");
    }
    if (intent.data.intent === "handler") {
      const handler = String(formData.get("handlerUserId") ?? "");
      await assignSignalementHandler(actor, params.id ?? "", handler || null);
      return succeeded(
        handler
          ? "Suivi confié : les courriels de ce signalement lui sont adressés."
          : "Plus personne n'est désigné : les courriels vont aux administrateurs.",
      );
    }
    if (intent.data.intent === "comment") {
      const parsed = parseFormData(formData, signalementCommentSchema);
      if (!parsed.ok) return failed("Le commentaire n'est pas enregistré.", parsed.errors);
      await addSignalementComment(actor, params.id ?? "", parsed.data.text, options);
      return succeeded("Commentaire ajouté ; l'autre partie est prévenue par courriel.");
    }
    const parsed = parseFormData(formData, signalementEventSchema);
    if (!parsed.ok) return failed("L'étape n'est pas enregistrée : corrigez le formulaire.", parsed.errors);
    // « Bail signé »: the attribution's fields, posted as « attribution.<field> ».
    const attribution = Object.fromEntries(
      [...formData.entries()]
        .filter(([key]) => key.startsWith("attribution."))
        .map(([key, value]) => [key.slice("attribution.".length), value]),
    );
    const { status } = await recordSignalementEvent(
      actor,
      params.id ?? "",
      { ...parsed.data, attribution },
      options,
    );
    return succeeded(`Étape enregistrée : le signalement est « ${STATUS_LABELS[status]} ».`);
  });

/** Steps that end the follow-up: the browser asks for confirmation first. */
const IRREVERSIBLE: SignalementEventType[] = ["lease_signed", "not_retained", "closed"];

function describe(details: EventDetails, communes: CommuneChoice[]): string {
  const parts: string[] = [];
  if (details.caleolDate) parts.push(`CALEOL du ${formatDay(details.caleolDate)}`);
  if (details.flatCommune) parts.push(`logement à ${communeList(communes, [details.flatCommune])}`);
  if (details.flatTypology) parts.push(TYPOLOGY_LABELS[details.flatTypology]);
  if (details.decision) parts.push(CALEOL_DECISION_LABELS[details.decision]);
  if (details.signedOn) parts.push(`bail signé le ${formatDay(details.signedOn)}`);
  if (details.attributionId) parts.push("attribution enregistrée");
  if (details.closure) parts.push(CLOSURE_REASON_LABELS[details.closure]);
  if (details.reason) parts.push(`motif : ${details.reason}`);
  if (details.note) parts.push(details.note);
  return parts.join(" · ");
}

function StepFields({
  type,
  party,
  communes,
  today,
}: {
  type: SignalementEventType;
  party: "commune" | "bailleur";
  communes: CommuneChoice[];
  today: string;
}) {
  if (type === "presented_caleol")
    return (
      <>
        <Field label="Date de la CALEOL" name="caleolDate" type="date" max={today} required />
        <div className="space-y-1.5">
          <Label htmlFor="flatCommune">Commune du logement</Label>
          <CommuneMultiSelect id="flatCommune" name="flatCommune" communes={communes} single />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor={`flatTypology-${type}`}>Typologie du logement</Label>
          <NativeSelect id={`flatTypology-${type}`} name="flatTypology" className="w-full" required>
            {TYPOLOGIES.map((t) => (
              <option key={t} value={t}>
                {TYPOLOGY_LABELS[t]}
              </option>
            ))}
          </NativeSelect>
        </div>
      </>
    );
  if (type === "caleol_decision")
    return (
      <div className="space-y-1.5">
        <Label htmlFor="decision">Décision</Label>
        <NativeSelect id="decision" name="decision" className="w-full" required>
          {CALEOL_DECISIONS.map((d) => (
            <option key={d} value={d}>
              {CALEOL_DECISION_LABELS[d]}
            </option>
          ))}
        </NativeSelect>
      </div>
    );
  if (type === "lease_signed") {
    const choose = (
      name: string,
      label: string,
      options: ReadonlyArray<readonly [string, string]>,
      defaultValue?: string,
    ) => (
      <div className="space-y-1.5">
        <Label htmlFor={`attribution-${name}`}>{label}</Label>
        <NativeSelect
          id={`attribution-${name}`}
          name={`attribution.${name}`}
          className="w-full"
          defaultValue={defaultValue}
          required
        >
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </NativeSelect>
      </div>
    );
    const yesNo = [
      ["non", "Non"],
      ["oui", "Oui"],
    ] as const;
    const pairs = <T extends string>(values: readonly T[], labels: Record<T, string>) =>
      values.map((v) => [v, labels[v]] as const);
    return (
      <>
        <Field label="Date de signature du bail" name="signedOn" type="date" max={today} required />
        <p className="text-sm text-muted-foreground md:col-span-3">
          Le bail signé est aussi l'attribution : numéro unique, date, commune et typologie du logement,
          public et quartile viennent du signalement ; complétez le reste.
        </p>
        {choose(
          "contingent",
          "Contingent",
          pairs(ATTRIBUTION_CONTINGENTS, ATTRIBUTION_CONTINGENT_LABELS),
          "mel",
        )}
        {choose("financing", "Financement", pairs(FINANCINGS, FINANCING_LABELS))}
        {choose(
          "constructionPeriod",
          "Période de construction",
          pairs(CONSTRUCTION_PERIODS, CONSTRUCTION_PERIOD_LABELS),
        )}
        {choose("transfer", "Mutation", pairs(TRANSFERS, TRANSFER_LABELS))}
        {choose("qpv", "Logement en QPV", yesNo)}
        {choose("pmr", "Logement PMR", yesNo)}
        {choose("firstLetting", "Première mise en location", yesNo)}
        <Field
          label="Refus après le courrier de décision de la CALEOL"
          name="attribution.refusalsAfterCaleol"
          type="number"
          min={0}
          max={99}
          defaultValue={0}
        />
      </>
    );
  }
  if (type === "refused_by_household" || type === "not_retained")
    return <Field label="Motif" name="reason" maxLength={500} required hint={SENSITIVE_DATA_WARNING} />;
  if (type === "closed")
    return (
      <div className="space-y-1.5">
        <Label htmlFor="closure">Motif de clôture</Label>
        <NativeSelect id="closure" name="closure" className="w-full" required>
          {CLOSURE_REASONS.filter((c) => c !== "withdrawn_by_commune" || party === "commune").map((c) => (
            <option key={c} value={c}>
              {CLOSURE_REASON_LABELS[c]}
            </option>
          ))}
        </NativeSelect>
      </div>
    );
  return <Field label="Note (facultative)" name="note" maxLength={500} hint={SENSITIVE_DATA_WARNING} />;
}

export default function SignalementPage() {
  const { signalement: s, communes, today, members, bailleurChoices } = useLoaderData<typeof loader>();
  const correctable =
    s.party === "commune" &&
    s.canUpdate &&
    s.status === "sent" &&
    s.bailleurs.every((b) => !b.acknowledgedAt);
  const addable = bailleurChoices.filter((b) => !s.bailleurs.some((a) => a.slug === b.slug));
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const steps = s.party && s.canUpdate ? eventsAllowed(s.status, s.party) : [];
  const { confirmSubmit, dialog } = useConfirmSubmit();
  return (
    <div className="space-y-6">
      {dialog}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Signalement {s.numeroUnique ?? "(anonymisé)"}</h1>
        <Link to="/signalements" className="underline">
          Retour aux signalements
        </Link>
      </div>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      {"followedElsewhere" in s && s.followedElsewhere && (
        <Alert>
          Ce numéro unique était déjà suivi par une autre organisation à la création (visible de la MEL
          seule).
        </Alert>
      )}
      <Card>
        <CardHeader>
          <CardTitle>
            {STATUS_LABELS[s.status]} <Badge className="ml-2">{s.communeName}</Badge>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-x-6 gap-y-2 text-sm md:grid-cols-2">
            <dt className="font-medium">Composition</dt>
            <dd>
              {s.adults} adulte(s), {s.children} enfant(s)
            </dd>
            <dt className="font-medium">Typologie souhaitée</dt>
            <dd>{TYPOLOGY_LABELS[s.typology]}</dd>
            <dt className="font-medium">Communes souhaitées</dt>
            <dd>{communeList(communes, s.communesWanted)}</dd>
            <dt className="font-medium">Public</dt>
            <dd>{PUBLIC_CATEGORY_LABELS[s.publicCategory]}</dd>
            <dt className="font-medium">Quartile de ressources</dt>
            <dd>{s.incomeQuartile ?? "Inconnu"}</dd>
            <dt className="font-medium">Urgence</dt>
            <dd>{URGENCY_LABELS[s.urgency]}</dd>
            <dt className="font-medium">Motif</dt>
            <dd>{s.reason ?? "(anonymisé)"}</dd>
            <dt className="font-medium">Bailleurs</dt>
            <dd>
              {s.bailleurs
                .map(
                  (b) =>
                    `${b.name} (${b.acknowledgedAt ? `accusé de réception le ${formatParis(b.acknowledgedAt, "d MMM yyyy")}` : "sans accusé de réception"})`,
                )
                .join(", ")}
            </dd>
            <dt className="font-medium">Envoyé le</dt>
            <dd>{formatParis(s.createdAt)}</dd>
          </dl>
        </CardContent>
      </Card>

      {correctable && (
        <details className="rounded-md border border-border p-3">
          <summary className="cursor-pointer font-medium">Compléter ou corriger le signalement</summary>
          <Form method="post" className="mt-3 grid gap-3 md:grid-cols-2">
            <CsrfInput />
            <input type="hidden" name="intent" value="correct" />
            <Field
              label="Adultes"
              name="adults"
              type="number"
              min={1}
              max={20}
              defaultValue={s.adults}
              required
            />
            <Field label="Enfants" name="children" type="number" min={0} max={20} defaultValue={s.children} />
            <div className="space-y-1.5">
              <Label htmlFor="fix-typology">Typologie souhaitée</Label>
              <NativeSelect id="fix-typology" name="typology" defaultValue={s.typology} className="w-full">
                {TYPOLOGIES.map((t) => (
                  <option key={t} value={t}>
                    {TYPOLOGY_LABELS[t]}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="space-y-1.5">
              <Label htmlFor="fix-public">Public</Label>
              <NativeSelect
                id="fix-public"
                name="publicCategory"
                defaultValue={s.publicCategory}
                className="w-full"
              >
                {PUBLIC_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {PUBLIC_CATEGORY_LABELS[c]}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="space-y-1.5">
              <Label htmlFor="fix-quartile">Quartile de ressources</Label>
              <NativeSelect
                id="fix-quartile"
                name="incomeQuartile"
                defaultValue={s.incomeQuartile ?? ""}
                className="w-full"
              >
                <option value="">Inconnu</option>
                {INCOME_QUARTILES.map((q) => (
                  <option key={q} value={q}>
                    {ordinal(q)} quartile
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="space-y-1.5">
              <Label htmlFor="fix-urgency">Urgence</Label>
              <NativeSelect id="fix-urgency" name="urgency" defaultValue={s.urgency} className="w-full">
                {URGENCIES.map((u) => (
                  <option key={u} value={u}>
                    {URGENCY_LABELS[u]}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="space-y-1.5 md:col-span-2">
              <Label htmlFor="fix-communes">Communes souhaitées</Label>
              <CommuneMultiSelect
                id="fix-communes"
                name="communesWanted"
                communes={communes}
                defaultValue={s.communesWanted}
              />
            </div>
            <Field
              label="Motif du signalement (court)"
              name="reason"
              maxLength={500}
              defaultValue={s.reason ?? ""}
              hint={SENSITIVE_DATA_WARNING}
              required
            />
            <div className="flex items-end">
              <Button size="sm" disabled={busy}>
                Enregistrer les corrections
              </Button>
            </div>
          </Form>
        </details>
      )}

      {addable.length > 0 && isOpenStatus(s.status) && (
        <Form method="post" className="flex flex-wrap items-end gap-2">
          <CsrfInput />
          <input type="hidden" name="intent" value="add-bailleur" />
          <div className="space-y-1.5">
            <Label htmlFor="bailleurSlug">Adresser aussi à</Label>
            <NativeSelect id="bailleurSlug" name="bailleurSlug" className="w-full">
              {addable.map((b) => (
                <option key={b.slug} value={b.slug}>
                  {b.name}
                </option>
              ))}
            </NativeSelect>
          </div>
          <Button size="sm" variant="outline" disabled={busy}>
            Ajouter ce bailleur
          </Button>
        </Form>
      )}

      {members.length > 0 && (
        <Form method="post" className="flex flex-wrap items-end gap-2">
          <CsrfInput />
          <input type="hidden" name="intent" value="handler" />
          <div className="space-y-1.5">
            <Label htmlFor="handlerUserId">Suivi par (reçoit les courriels de ce signalement)</Label>
            <NativeSelect
              id="handlerUserId"
              name="handlerUserId"
              defaultValue={s.myHandlerId ?? ""}
              className="w-full"
            >
              <option value="">Personne : les administrateurs de l'organisation</option>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </NativeSelect>
          </div>
          <Button size="sm" variant="outline" disabled={busy}>
            Enregistrer
          </Button>
        </Form>
      )}

      {steps.length > 0 && (
        <Card>
          <CardHeader>
            <CardTitle>Enregistrer une étape</CardTitle>
          </CardHeader>
          <CardContent className="space-y-4">
            {steps.map((type) => (
              <details key={type} className="rounded-md border border-border p-3">
                <summary className="cursor-pointer font-medium">{STATUS_LABELS[type]}</summary>
                <Form
                  method="post"
                  className="mt-3 grid gap-3 md:grid-cols-3"
                  onSubmit={(event) =>
                    confirmSubmit(
                      event,
                      IRREVERSIBLE.includes(type)
                        ? `« ${STATUS_LABELS[type]} » termine le suivi de ce signalement. Confirmer ?`
                        : undefined,
                    )
                  }
                >
                  <CsrfInput />
                  <input type="hidden" name="intent" value="event" />
                  <input type="hidden" name="type" value={type} />
                  <StepFields type={type} party={s.party!} communes={communes} today={today} />
                  <div className="flex items-end">
                    <Button size="sm" disabled={busy}>
                      Enregistrer « {STATUS_LABELS[type]} »
                    </Button>
                  </div>
                </Form>
              </details>
            ))}
          </CardContent>
        </Card>
      )}

      <Card>
        <CardHeader>
          <CardTitle>Historique</CardTitle>
        </CardHeader>
        <CardContent>
          <ol className="space-y-2 text-sm">
            {s.events.map((e) => (
              <li key={e.id}>
                <span className="font-medium">{formatParis(e.at)}</span> — {STATUS_LABELS[e.type]} (
                {e.byOrganisation}
                {e.byName ? `, ${e.byName}` : ""})
                {describe(e.details, communes) && ` : ${describe(e.details, communes)}`}
              </li>
            ))}
          </ol>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Échanges entre la commune et les bailleurs</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          {s.comments.length === 0 && <p className="text-sm text-muted-foreground">Aucun commentaire.</p>}
          <ul className="space-y-2 text-sm">
            {s.comments.map((c) => (
              <li key={c.id} className="rounded-md border border-border p-2">
                <p className="text-xs text-muted-foreground">
                  {formatParis(c.at)} — {c.byOrganisation}
                  {c.byName ? `, ${c.byName}` : ""}
                </p>
                <p className="whitespace-pre-wrap">{c.text ?? "(anonymisé)"}</p>
              </li>
            ))}
          </ul>
          {s.party && s.canUpdate && !s.anonymisedAt && (
            <Form method="post" className="space-y-2">
              <CsrfInput />
              <input type="hidden" name="intent" value="comment" />
              <Label htmlFor="comment">Nouveau commentaire</Label>
              <textarea
                id="comment"
                name="text"
                rows={3}
                maxLength={2000}
                required
                aria-describedby="comment-hint"
                className="w-full rounded-md border border-input bg-background p-2 text-sm"
              />
              <p id="comment-hint" className="text-xs text-muted-foreground">
                {SENSITIVE_DATA_WARNING}
              </p>
              <Button size="sm" disabled={busy}>
                Envoyer le commentaire
              </Button>
            </Form>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
