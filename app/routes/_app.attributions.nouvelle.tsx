import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ensureCan } from "#policies/guard.server";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Label } from "~/components/ui/label";
import { NativeSelect } from "~/components/ui/native-select";
import { useZodForm } from "~/components/use-zod-form";
import {
  ATTRIBUTION_CONTINGENT_LABELS,
  ATTRIBUTION_CONTINGENTS,
  ELIGIBILITIES,
  ELIGIBILITY_LABELS,
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
import { REHOUSING_LABELS, REHOUSINGS } from "~/domain/publics";
import {
  INCOME_QUARTILES,
  NUMERO_UNIQUE_SHAPE,
  PUBLIC_CATEGORIES,
  PUBLIC_CATEGORY_LABELS,
} from "~/domain/signalement";
import { failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { attributionSchema } from "~/lib/attribution-schemas";
import { communeOptions } from "~/lib/communes.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { withHttpErrors } from "~/lib/http.server";
import { parseFormData } from "~/lib/validation";
import { AttributionRejection, recordAttributions } from "~/models/attributions.server";
import { listQpvs } from "~/models/qpv.server";

export const meta: MetaFunction = () => [{ title: "Enregistrer une attribution — Portail flux MEL" }];

async function recorder(request: Request, context: LoaderFunctionArgs["context"]) {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "create", "Attribution", "Vous ne pouvez pas enregistrer d'attribution.");
  return actor;
}

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await recorder(request, context);
  return {
    bailleurSlug: actor.organisation.slug,
    communes: communeOptions(),
    quartiers: await listQpvs(actor, { activeOnly: true }),
  };
}

export const action = withHttpErrors(submit);

async function submit({ request, context }: ActionFunctionArgs) {
  const actor = await recorder(request, context);
  const formData = await readProtectedForm(request);
  formData.set("bailleurSlug", actor.organisation.slug);
  const parsed = parseFormData(formData, attributionSchema);
  if (!parsed.ok)
    return failed("L'attribution n'est pas enregistrée : corrigez le formulaire.", parsed.errors);
  try {
    const result = await recordAttributions(actor, [parsed.data], { source: "form" });
    return succeeded(
      result.created === 1
        ? "Attribution enregistrée."
        : "Cette attribution (même numéro unique, même date de bail) était déjà enregistrée : rien n'a changé.",
    );
  } catch (error) {
    if (!(error instanceof AttributionRejection)) throw error;
    return failed(
      "L'attribution n'est pas enregistrée : corrigez le formulaire.",
      Object.fromEntries(error.rowErrors.map((e) => [e.field, e.message])),
    );
  }
}

export default function NewAttributionPage() {
  const { bailleurSlug, communes, quartiers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { register, onSubmit, errorOf } = useZodForm(attributionSchema, result?.errors);
  const select = (
    name: string,
    label: string,
    options: ReadonlyArray<readonly [string, string]>,
    empty = "— Choisir —",
  ) => (
    <div className="space-y-1.5">
      <Label htmlFor={name}>{label}</Label>
      <NativeSelect
        id={name}
        className="w-full"
        aria-invalid={errorOf(name) ? true : undefined}
        aria-describedby={`${name}-error`}
        {...register(name as never)}
      >
        <option value="">{empty}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </NativeSelect>
      {errorOf(name) && (
        <p id={`${name}-error`} className="text-sm text-destructive">
          {errorOf(name)}
        </p>
      )}
    </div>
  );
  const yesNo = [
    ["non", "Non"],
    ["oui", "Oui"],
  ] as const;
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Enregistrer une attribution</h1>
        <Link to="/attributions" className="underline">
          Retour aux attributions
        </Link>
      </div>
      <p className="text-sm text-muted-foreground">
        Une attribution s'enregistre à la signature du bail, sur un seul contingent (convention cadre, art.
        7). Pour plusieurs baux,{" "}
        <Link to="/attributions/import" className="underline">
          importez un fichier
        </Link>
        .
      </p>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      <Form method="post" onSubmit={onSubmit} noValidate className="space-y-6">
        <CsrfInput />
        <input type="hidden" value={bailleurSlug} {...register("bailleurSlug")} />
        <Card>
          <CardHeader>
            <CardTitle>Le bail et le ménage</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4 md:grid-cols-2">
            <Field
              label="Numéro unique (SNE)"
              hint={NUMERO_UNIQUE_SHAPE}
              error={errorOf("numeroUnique")}
              {...register("numeroUnique")}
            />
            <Field label="Date du bail" type="date" error={errorOf("leaseDate")} {...register("leaseDate")} />
            {select(
              "publicCategory",
              "Public",
              PUBLIC_CATEGORIES.map((c) => [c, PUBLIC_CATEGORY_LABELS[c]] as const),
            )}
            {select(
              "transfer",
              "Mutation",
              TRANSFERS.map((t) => [t, TRANSFER_LABELS[t]] as const),
            )}
            {select(
              "incomeQuartile",
              "Quartile de ressources (si connu)",
              INCOME_QUARTILES.map((q) => [String(q), `Q${q}`] as const),
            )}
            <Field
              label="Refus après le courrier de décision de la CALEOL"
              type="number"
              min={0}
              defaultValue={0}
              error={errorOf("refusalsAfterCaleol")}
              {...register("refusalsAfterCaleol")}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Le logement</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4 md:grid-cols-2">
            {select(
              "communeInsee",
              "Commune",
              communes.map((c) => [c.code ?? "", c.name] as const),
            )}
            {select("qpv", "En QPV", yesNo)}
            {select(
              "qpvCode",
              "Quartier prioritaire (si en QPV)",
              quartiers.map((q) => [q.code, `${q.name} (${q.communeName})`] as const),
              "— Non renseigné —",
            )}
            {select(
              "typology",
              "Typologie",
              TYPOLOGIES.map((t) => [t, TYPOLOGY_LABELS[t]] as const),
            )}
            {select(
              "financing",
              "Financement",
              FINANCINGS.map((f) => [f, FINANCING_LABELS[f]] as const),
            )}
            {select("pmr", "Logement PMR", yesNo)}
            {select("firstLetting", "Première mise en location d'un programme neuf", yesNo)}
            {select(
              "constructionPeriod",
              "Période de construction",
              CONSTRUCTION_PERIODS.map((p) => [p, CONSTRUCTION_PERIOD_LABELS[p]] as const),
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Le contingent</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4 md:grid-cols-2">
            {select(
              "contingent",
              "Contingent sur lequel l'attribution compte",
              ATTRIBUTION_CONTINGENTS.map((c) => [c, ATTRIBUTION_CONTINGENT_LABELS[c]] as const),
            )}
            {select(
              "rehousing",
              "Relogement hors flux (annexe 1, colonnes D à G)",
              REHOUSINGS.map((r) => [r, REHOUSING_LABELS[r]] as const),
            )}
            {select(
              "eligibility",
              "Éligibilité (contingents d'Action Logement et de la SICF)",
              ELIGIBILITIES.map((e) => [e, ELIGIBILITY_LABELS[e]] as const),
            )}
            <p className="text-sm text-muted-foreground md:col-span-2">
              « Commune » : le contingent de la commune du logement. Les relogements NPRU, ORCOD, LHI et pour
              vente et les mutations internes sont enregistrés sans contingent : ils ne consomment pas de
              droits.
            </p>
          </CardContent>
        </Card>
        <Button type="submit" disabled={navigation.state === "submitting"}>
          Enregistrer l'attribution
        </Button>
      </Form>
    </div>
  );
}
