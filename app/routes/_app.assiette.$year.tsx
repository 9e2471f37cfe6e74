import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { asSubject } from "#policies/ability";
import { useConfirm } from "~/components/confirm-dialog";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "~/components/ui/alert-dialog";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { useZodForm } from "~/components/use-zod-form";
import { FORECAST_COLUMNS } from "~/domain/rights";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import {
  CONTINGENT_LABELS,
  FORECAST_STATUS_LABELS,
  forecastFormSchema,
  formatRate,
} from "~/lib/cycle-validation";
import { formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { parseFormData } from "~/lib/validation";
import {
  annexJson,
  annexRowJson,
  assietteVersionsOf,
  correctForecast,
  forecastSubject,
  ownForecast,
  publishAssiette,
  readableAnnex,
  rectifyAssiette,
  remindMissingForecasts,
  saveForecast,
  validateForecast,
  versionParam,
  yearParam,
} from "~/models/assiette.server";

export const meta: MetaFunction = () => [{ title: "Assiette du flux (annexe 1) — Portail flux MEL" }];

const KEYS = ["a", "b", "c", "d", "e", "f", "g"] as const;

export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const isBailleur = actor.organisation.kind === "bailleur";
  const year = yearParam(params.year);
  const [annex, versions, own] = await Promise.all([
    readableAnnex(actor, year, versionParam(request.url)).then(annexJson),
    assietteVersionsOf(actor, year),
    isBailleur ? ownForecast(actor, year) : undefined,
  ]);
  const ownRow = own?.row?.forecast ? annexRowJson(own.row) : null;
  return {
    annex,
    versions,
    isBailleur,
    ownRow,
    ownPendingVersion: own?.pendingVersion ?? null,
    canEditOwn:
      isBailleur &&
      actor.ability.can(
        "update",
        asSubject("Forecast", forecastSubject(actor.organisation.id, annex.published)),
      ) &&
      (!ownRow || ownRow.status === "draft"),
    canManage: actor.ability.can("update", "Assiette"),
  };
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save") }),
  z.object({ intent: z.literal("submit") }),
  z.object({ intent: z.literal("correct"), bailleurId: z.uuid() }),
  z.object({ intent: z.literal("validate"), forecastId: z.uuid() }),
  z.object({ intent: z.literal("remind") }),
  z.object({ intent: z.literal("publish"), confirmIncomplete: z.literal("oui").optional() }),
  z.object({ intent: z.literal("rectify"), reason: z.string() }),
]);

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  attempt(() => act({ request, context, params }));

/** Each intent is one model step (the same the API calls), which asks the policy first. */
async function act({ request, context, params }: Pick<ActionFunctionArgs, "request" | "context" | "params">) {
  const actor = await requireActor(request, context);
  const year = yearParam(params.year);
  const formData = await readProtectedForm(request);
  const intent = intentSchema.safeParse(Object.fromEntries(formData));
  if (!intent.success) return failed("Action inconnue : rechargez la page.");
  const input = intent.data;

  if (input.intent === "save" || input.intent === "submit" || input.intent === "correct") {
    const parsed = parseFormData(formData, forecastFormSchema);
    if (!parsed.ok)
      return failed("La prévision n'est pas enregistrée : corrigez les colonnes.", parsed.errors);
    const saved =
      input.intent === "correct"
        ? await correctForecast(actor, { year, bailleurId: input.bailleurId, values: parsed.data })
        : await saveForecast(actor, { year, values: parsed.data, submit: input.intent === "submit" });
    return succeeded(
      saved.message ??
        (input.intent === "submit"
          ? `Prévision ${year} transmise aux services de l'État.`
          : input.intent === "correct"
            ? "Prévision corrigée."
            : "Brouillon enregistré : pensez à le transmettre."),
    );
  }
  if (input.intent === "validate") {
    await validateForecast(actor, { year, forecastId: input.forecastId });
    return succeeded("Prévision validée.");
  }
  if (input.intent === "remind") {
    const sent = await remindMissingForecasts(actor, year, publicUrl());
    return succeeded(
      sent.bailleurs === 0
        ? "Tous les bailleurs ont transmis leur prévision : aucune relance."
        : `Relance envoyée à ${sent.bailleurs} bailleur(s) (${sent.mails} courriel(s)).`,
    );
  }
  if (input.intent === "rectify") {
    const done = await rectifyAssiette(actor, { year, reason: input.reason, baseUrl: publicUrl() });
    return succeeded(
      `Rectificatif publié : ${done.label}. Les partenaires sont informés${done.replaced.length > 0 ? ` ; ${done.replaced.length} courrier(s) remplacé(s) par un nouveau courrier à envoyer` : ""}.`,
    );
  }
  await publishAssiette(actor, {
    year,
    confirmIncomplete: input.confirmIncomplete === "oui",
    baseUrl: publicUrl(),
  });
  return succeeded(`Assiette ${year} publiée : les réservataires et les bailleurs sont informés.`);
}

const number = (value: number | null) => (value === null ? "—" : value.toLocaleString("fr-FR"));
const exact = (value: number | null) =>
  value === null ? "—" : value.toLocaleString("fr-FR", { maximumFractionDigits: 3 });

function setIntent(button: HTMLButtonElement, intent: string) {
  const field = button.form?.elements.namedItem("intent");
  if (field instanceof HTMLInputElement) field.value = intent;
}

function ForecastForm({
  intent,
  defaults,
  errors,
  extra,
  submitLabel,
  secondary,
}: {
  intent: string;
  defaults: Record<string, number> | null;
  errors?: Record<string, string>;
  extra?: Record<string, string>;
  submitLabel: string;
  secondary?: { intent: string; label: string };
}) {
  const { register, onSubmit, errorOf } = useZodForm(forecastFormSchema, errors);
  const busy = useNavigation().state !== "idle";
  const { ask, dialog } = useConfirm();
  return (
    <Form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
      {dialog}
      <CsrfInput />
      {/* The clicked button sets it: react-hook-form posts the form element, without its submitter. */}
      <input type="hidden" name="intent" defaultValue={intent} />
      {Object.entries(extra ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="grid gap-3 md:grid-cols-2">
        {FORECAST_COLUMNS.map((column) => (
          <Field
            key={column.key}
            label={column.label}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            defaultValue={defaults?.[column.key] ?? ""}
            error={errorOf(column.key)}
            {...register(column.key)}
          />
        ))}
      </div>
      <p className="text-sm text-muted-foreground">H = A − C − D − E − F − G (B est une information).</p>
      <div className="flex flex-wrap gap-2">
        {secondary && (
          <Button
            type="submit"
            variant="outline"
            disabled={busy}
            onClick={(event) => setIntent(event.currentTarget, secondary.intent)}
          >
            {secondary.label}
          </Button>
        )}
        <Button
          type="submit"
          disabled={busy}
          onClick={(event) => {
            setIntent(event.currentTarget, intent);
            if (intent !== "submit") return;
            // Submitted once confirmed (requestSubmit fires no click, so this asks once).
            event.preventDefault();
            const button = event.currentTarget;
            void ask("Transmettre la prévision ? Vous ne pourrez plus la modifier.").then(
              (yes) => yes && button.form?.requestSubmit(button),
            );
          }}
        >
          {submitLabel}
        </Button>
      </div>
    </Form>
  );
}

type Versions = ReturnType<typeof useLoaderData<typeof loader>>["versions"];
type Change = NonNullable<NonNullable<Versions["pending"]>>["changes"][number];

/** A changed column's name: A–G, H, or a contingent's rate. */
function columnLabel(column: string): string {
  if (column.startsWith("rate:")) {
    const contingent = column.slice(5);
    return `Taux ${CONTINGENT_LABELS[contingent as keyof typeof CONTINGENT_LABELS] ?? contingent}`;
  }
  return column.toUpperCase();
}

const changeValue = (column: string, value: number | null) =>
  value === null ? "—" : column.startsWith("rate:") ? formatRate(value) : number(value);

/** What the next version would change, row by row (old → new), before the État publishes it. */
function PendingChanges({ changes }: { changes: Change[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Bailleur</TableHead>
          <TableHead>Ligne</TableHead>
          <TableHead>Colonnes (avant → après)</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {changes.map((change) => (
          <TableRow key={change.bailleur.id}>
            <TableCell className="font-medium">{change.bailleur.name}</TableCell>
            <TableCell>{change.kind === "added" ? "Ajoutée (prévision tardive)" : "Modifiée"}</TableCell>
            <TableCell>
              <ul className="text-sm">
                {change.columns.map((c) => (
                  <li key={c.column}>
                    {columnLabel(c.column)} : {changeValue(c.column, c.before)} →{" "}
                    {changeValue(c.column, c.after)}
                  </li>
                ))}
              </ul>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The rectificatif: a confirmation that names the version and requires the reason sent to every partner. */
function RectifyDialog({ year, version, done }: { year: number; version: number; done: boolean }) {
  const [open, setOpen] = useState(false);
  const busy = useNavigation().state !== "idle";
  useEffect(() => {
    if (done) setOpen(false);
  }, [done]);
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>
        <Button>Publier le rectificatif (version {version})</Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <Form method="post" className="space-y-4">
          <CsrfInput />
          <input type="hidden" name="intent" value="rectify" />
          <AlertDialogHeader>
            <AlertDialogTitle>
              Publier la version {version} de l'assiette {year} ?
            </AlertDialogTitle>
            <AlertDialogDescription>
              Les lignes ci-dessus changent ; la version {version - 1} reste consultable. Chaque partenaire
              est informé, et les courriers dont les droits changent sont remplacés par un nouveau courrier.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Motif du rectificatif (obligatoire)</span>
            <textarea
              name="reason"
              required
              minLength={10}
              maxLength={2000}
              rows={3}
              className="w-full rounded-md border border-input p-2 text-sm"
            />
          </label>
          <AlertDialogFooter>
            <AlertDialogCancel type="button">Annuler</AlertDialogCancel>
            <Button type="submit" disabled={busy}>
              Publier le rectificatif
            </Button>
          </AlertDialogFooter>
        </Form>
      </AlertDialogContent>
    </AlertDialog>
  );
}

export default function AssiettePage() {
  const { annex, versions, isBailleur, ownRow, ownPendingVersion, canEditOwn, canManage } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const contingents = Object.keys(CONTINGENT_LABELS) as Array<keyof typeof CONTINGENT_LABELS>;
  const missing = annex.rows.filter((r) => r.status === "missing" || r.status === "draft").length;
  // Corrections go into today's table (the next version once published): offered on the latest version only.
  const canCorrect = canManage && annex.version === annex.latestVersion;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Assiette du flux {annex.year} — annexe 1</h1>
        <nav aria-label="Années" className="flex gap-2 text-sm">
          <Link className="underline" to={`/assiette/${annex.year - 1}`}>
            ← {annex.year - 1}
          </Link>
          <Link className="underline" to={`/assiette/${annex.year + 1}`}>
            {annex.year + 1} →
          </Link>
        </nav>
      </div>
      <p>
        {annex.versionLabel ? (
          <Badge>{annex.versionLabel.replace(/^a/, "A")}</Badge>
        ) : (
          <Badge>Non publiée</Badge>
        )}
        {annex.submitted !== undefined && (
          <span className="ml-2 text-sm text-muted-foreground">
            {annex.submitted} prévision(s) transmise(s) sur {annex.total} bailleurs.
          </span>
        )}
      </p>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}

      {versions.versions.length > 0 && (
        <nav aria-label="Versions de l'assiette" className="space-y-1 text-sm">
          <p className="font-medium">Versions publiées :</p>
          <ul className="space-y-1">
            {versions.versions.map((v) => (
              <li key={v.version}>
                {v.version === annex.version ? (
                  <span aria-current="page" className="font-semibold">
                    {v.label}
                  </span>
                ) : (
                  <Link className="underline" to={`?version=${v.version}`}>
                    {v.label}
                  </Link>
                )}
                {v.reason && <span className="text-muted-foreground"> — motif : {v.reason}</span>}
              </li>
            ))}
          </ul>
        </nav>
      )}

      {isBailleur && (
        <Card>
          <CardHeader>
            <CardTitle>Votre prévision {annex.year}</CardTitle>
            <CardDescription>
              {ownRow
                ? `${FORECAST_STATUS_LABELS[ownRow.status]}${ownRow.submittedAt ? ` le ${formatParis(ownRow.submittedAt)}` : ""} — H = ${number(ownRow.h)}`
                : "Pas encore saisie."}
              {ownPendingVersion &&
                ` Elle sera publiée dans le rectificatif (version ${ownPendingVersion}) par les services de l'État ; la version publiée ne change pas.`}
            </CardDescription>
          </CardHeader>
          {canEditOwn && (
            <CardContent>
              <ForecastForm
                intent="submit"
                submitLabel="Transmettre à l'État"
                secondary={{ intent: "save", label: "Enregistrer le brouillon" }}
                defaults={ownRow?.forecast ?? null}
                errors={result && !result.ok ? result.errors : undefined}
              />
            </CardContent>
          )}
        </Card>
      )}

      {canManage && !annex.published && (
        <Card>
          <CardHeader>
            <CardTitle>Compiler et publier</CardTitle>
            <CardDescription>
              {missing === 0
                ? "Tous les bailleurs ont transmis leur prévision."
                : `${missing} bailleur(s) n'ont pas transmis leur prévision.`}
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-wrap gap-2">
            <IntentForm
              intent="remind"
              fields={{}}
              label="Relancer les bailleurs en retard"
              confirm={`Envoyer un courriel de relance aux ${missing} bailleur(s) qui n'ont pas transmis ?`}
            />
            <IntentForm
              intent="publish"
              fields={missing > 0 ? { confirmIncomplete: "oui" } : {}}
              variant="default"
              label={missing > 0 ? "Publier l'assiette incomplète" : "Publier l'assiette"}
              confirm={
                missing > 0
                  ? `${missing} bailleur(s) n'ont pas transmis leur prévision. Publier quand même l'assiette ${annex.year} ? C'est définitif.`
                  : `Publier l'assiette ${annex.year} ? C'est définitif.`
              }
            />
          </CardContent>
        </Card>
      )}

      {versions.pending && (
        <Card>
          <CardHeader>
            <CardTitle>Changements depuis la version {versions.pending.version - 1}</CardTitle>
            <CardDescription>
              {versions.pending.changes.length === 0
                ? "Aucun changement : prévisions tardives, corrections et taux signés depuis la dernière version apparaîtront ici."
                : `${versions.pending.changes.length} ligne(s) changeront dans la version ${versions.pending.version}.`}
            </CardDescription>
          </CardHeader>
          {versions.pending.changes.length > 0 && (
            <CardContent className="space-y-3">
              <PendingChanges changes={versions.pending.changes} />
              <RectifyDialog
                year={annex.year}
                version={versions.pending.version}
                done={result?.ok === true}
              />
            </CardContent>
          )}
        </Card>
      )}

      <Card>
        <CardHeader>
          <CardTitle>Tableau de l'annexe 1</CardTitle>
          <CardDescription>
            {annex.roundingRule} Chaque case indique la valeur exacte, puis le droit arrondi.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-3">
          {annex.rows.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              Aucune ligne visible : l'assiette {annex.year} n'est pas encore publiée.
            </p>
          ) : (
            <>
              <div className="flex gap-3 text-sm">
                <a
                  className="underline"
                  href={`/assiette/${annex.year}/export.csv${annex.version ? `?version=${annex.version}` : ""}`}
                >
                  Exporter en CSV
                </a>
                <a
                  className="underline"
                  href={`/assiette/${annex.year}/export.xlsx${annex.version ? `?version=${annex.version}` : ""}`}
                >
                  Exporter en XLSX
                </a>
              </div>
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Bailleur</TableHead>
                    {KEYS.map((k) => (
                      <TableHead key={k} className="text-right">
                        {k.toUpperCase()}
                      </TableHead>
                    ))}
                    <TableHead className="text-right">H</TableHead>
                    <TableHead>Statut</TableHead>
                    {contingents.map((c) => (
                      <TableHead key={c} className="text-right">
                        {CONTINGENT_LABELS[c]}
                      </TableHead>
                    ))}
                    <TableHead className="text-right">Contingent propre du bailleur</TableHead>
                    {canCorrect && <TableHead>Actions</TableHead>}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {annex.rows.map((row) => (
                    <TableRow key={row.bailleur.id}>
                      <TableCell className="font-medium">{row.bailleur.name}</TableCell>
                      {KEYS.map((k) => (
                        <TableCell key={k} className="text-right">
                          {number(row.forecast?.[k] ?? null)}
                        </TableCell>
                      ))}
                      <TableCell className="text-right font-semibold">{number(row.h)}</TableCell>
                      <TableCell>
                        <Badge>{FORECAST_STATUS_LABELS[row.status]}</Badge>
                        {row.status === "draft" && (
                          <span className="block text-xs text-muted-foreground">sans droits</span>
                        )}
                      </TableCell>
                      {contingents.map((c) => {
                        const right = row.rights[c]!;
                        return (
                          <TableCell key={c} className="text-right">
                            <span className="block text-xs text-muted-foreground">
                              {formatRate(right.rateBp)}
                            </span>
                            {right.exact === null ? "—" : `${exact(right.exact)} → ${number(right.rounded)}`}
                          </TableCell>
                        );
                      })}
                      <TableCell className="text-right">{number(row.remainder)}</TableCell>
                      {canCorrect && (
                        <TableCell>
                          {row.status === "submitted" && row.forecastId && (
                            <IntentForm
                              intent="validate"
                              fields={{ forecastId: row.forecastId }}
                              label="Valider"
                              ariaLabel={`Valider la prévision de ${row.bailleur.name}`}
                            />
                          )}
                          {row.forecast && (
                            <details className="mt-1">
                              <summary className="cursor-pointer text-sm underline">Corriger</summary>
                              <div className="mt-2 w-80">
                                <ForecastForm
                                  intent="correct"
                                  submitLabel={`Corriger ${row.bailleur.name}`}
                                  defaults={row.forecast}
                                  extra={{ bailleurId: row.bailleur.id }}
                                />
                              </div>
                            </details>
                          )}
                        </TableCell>
                      )}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
