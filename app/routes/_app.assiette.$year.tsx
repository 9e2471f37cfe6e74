import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { useZodForm } from "~/components/use-zod-form";
import { FORECAST_COLUMNS } from "~/domain/rights";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { auditActorOf, requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import {
  CONTINGENT_LABELS,
  FORECAST_STATUS_LABELS,
  forecastFormSchema,
  formatRate,
} from "~/lib/cycle-validation";
import { formatParis } from "~/lib/dates";
import { publicUrl } from "~/lib/route-params.server";
import { parseFormData } from "~/lib/validation";
import {
  annexJson,
  forecastSubject,
  getForecast,
  publicationOf,
  publishAssiette,
  readableAnnex,
  remindMissingForecasts,
  saveForecast,
  validateForecast,
  yearParam,
} from "~/models/assiette.server";

export const meta: MetaFunction = () => [{ title: "Assiette du flux (annexe 1) — Portail flux MEL" }];

const KEYS = ["a", "b", "c", "d", "e", "f", "g"] as const;

async function load(request: Request, context: LoaderFunctionArgs["context"], param: string | undefined) {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "read", "Assiette");
  const year = yearParam(param);
  const published = (await publicationOf(year)) !== null;
  return { actor, year, published };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { actor, year, published } = await load(request, context, params.year);
  const canRead = (row: ReturnType<typeof forecastSubject>) =>
    actor.ability.can("read", asSubject("Forecast", row));
  const annex = annexJson(await readableAnnex(canRead, year));
  const own = forecastSubject(actor.organisation.id, published);
  const isBailleur = actor.organisation.kind === "bailleur";
  const ownRow = isBailleur ? annex.rows.find((r) => r.bailleur.id === actor.organisation.id) : undefined;
  return {
    annex,
    isBailleur,
    ownRow: ownRow ?? null,
    canEditOwn:
      isBailleur &&
      !published &&
      actor.ability.can("update", asSubject("Forecast", own)) &&
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
]);

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  attempt(() => act({ request, context, params }));

async function act({ request, context, params }: Pick<ActionFunctionArgs, "request" | "context" | "params">) {
  const { actor, year, published } = await load(request, context, params.year);
  const formData = await readProtectedForm(request);
  const intent = intentSchema.safeParse(Object.fromEntries(formData));
  if (!intent.success) return failed("Action inconnue : rechargez la page.");
  const who = auditActorOf(actor);
  const input = intent.data;

  if (input.intent === "save" || input.intent === "submit" || input.intent === "correct") {
    const bailleurId = input.intent === "correct" ? input.bailleurId : actor.organisation.id;
    if (input.intent !== "correct" && actor.organisation.kind !== "bailleur")
      return failed("Seul un bailleur saisit sa prévision.", {}, 403);
    ensureCanOn(
      actor.ability,
      "update",
      "Forecast",
      forecastSubject(bailleurId, published),
      "Cette prévision",
    );
    const parsed = parseFormData(formData, forecastFormSchema);
    if (!parsed.ok)
      return failed("La prévision n'est pas enregistrée : corrigez les colonnes.", parsed.errors);
    await saveForecast(who, {
      bailleurId,
      year,
      values: parsed.data,
      submit: input.intent === "submit",
      by: input.intent === "correct" ? "etat" : "bailleur",
    });
    return succeeded(
      input.intent === "submit"
        ? `Prévision ${year} transmise aux services de l'État.`
        : input.intent === "correct"
          ? "Prévision corrigée."
          : "Brouillon enregistré : pensez à le transmettre.",
    );
  }
  if (input.intent === "validate") {
    const forecast = await getForecast(input.forecastId);
    ensureCanOn(
      actor.ability,
      "update",
      "Forecast",
      forecast && forecast.year === year ? forecastSubject(forecast.bailleurId, published) : undefined,
      "Cette prévision",
    );
    await validateForecast(who, input.forecastId);
    return succeeded("Prévision validée.");
  }
  ensureCan(actor.ability, "update", "Assiette", "Seuls les services de l'État relancent et publient.");
  if (input.intent === "remind") {
    const sent = await remindMissingForecasts(who, year, publicUrl());
    return succeeded(
      sent.bailleurs === 0
        ? "Tous les bailleurs ont transmis leur prévision : aucune relance."
        : `Relance envoyée à ${sent.bailleurs} bailleur(s) (${sent.mails} courriel(s)).`,
    );
  }
  await publishAssiette(who, {
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
  return (
    <Form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
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
            if (
              intent === "submit" &&
              !window.confirm("Transmettre la prévision ? Vous ne pourrez plus la modifier.")
            )
              event.preventDefault();
            else setIntent(event.currentTarget, intent);
          }}
        >
          {submitLabel}
        </Button>
      </div>
    </Form>
  );
}

export default function AssiettePage() {
  const { annex, isBailleur, ownRow, canEditOwn, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const contingents = Object.keys(CONTINGENT_LABELS) as Array<keyof typeof CONTINGENT_LABELS>;
  const missing = annex.rows.filter((r) => r.status === "missing" || r.status === "draft").length;
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
        {annex.published ? (
          <Badge>Publiée le {formatParis(annex.publishedAt!)}</Badge>
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

      {isBailleur && (
        <Card>
          <CardHeader>
            <CardTitle>Votre prévision {annex.year}</CardTitle>
            <CardDescription>
              {ownRow
                ? `${FORECAST_STATUS_LABELS[ownRow.status]}${ownRow.submittedAt ? ` le ${formatParis(ownRow.submittedAt)}` : ""} — H = ${number(ownRow.h)}`
                : "Pas encore saisie."}
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
                <a className="underline" href={`/assiette/${annex.year}/export.csv`}>
                  Exporter en CSV
                </a>
                <a className="underline" href={`/assiette/${annex.year}/export.xlsx`}>
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
                    {canManage && !annex.published && <TableHead>Actions</TableHead>}
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
                      {canManage && !annex.published && (
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
