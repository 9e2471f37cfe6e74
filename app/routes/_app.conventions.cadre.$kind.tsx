import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ensureCan } from "#policies/guard.server";
import { CsrfInput } from "~/components/csrf-input";
import { Field, SelectField } from "~/components/field";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useZodForm } from "~/components/use-zod-form";
import { CONVENTION_PERIOD } from "~/domain/convention";
import { attempt, failed } from "~/lib/action-result";
import { type Actor, requireActor } from "~/lib/actor.server";
import { communeShareFormSchema, departementActivationFormSchema } from "~/lib/convention-schemas";
import { readProtectedForm } from "~/lib/csrf.server";
import { httpError, withHttpErrors } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { parseFormData } from "~/lib/validation";
import { createConvention } from "~/models/conventions.server";
import { listOrganisations } from "~/models/organisations.server";

/**
 * What the MEL drafts besides the bilatérales, on the cadre's own terms: the avenant activating the Département's
 * contingent on a bailleur from a year (004 l.188–192), and a guaranteeing commune's share of the MEL's 20 % on a
 * bailleur (l.178). Same schemas and model step as `POST /api/v1/conventions`; the parties sign on the convention's
 * page, after a confirmation.
 */
const FORMS = {
  "activation-departement": {
    kind: "activation_departement",
    schema: departementActivationFormSchema,
    title: "Activer le contingent du Département",
    intro:
      "Avenant à la convention cadre (l.188–192) : à partir de l'année choisie, les conventions bilatérales que le Département signe avec ce bailleur lui donnent des droits, des courriers valant avenant et un contingent pour les attributions. Les signataires de la convention cadre le signent.",
  },
  "part-communale": {
    kind: "part_communale",
    schema: communeShareFormSchema,
    title: "Établir une part communale",
    intro:
      "Une commune qui garantit les emprunts d'un bailleur obtient une part du flux prise sur les 20 % de la MEL (l.178). La commune, le bailleur et la MEL la signent ; la part est comptée sous la ligne de la MEL dans les bilans.",
  },
} as const;
type FormKey = keyof typeof FORMS;

const formOf = (kind: string | undefined) => {
  if (kind !== "activation-departement" && kind !== "part-communale")
    throw httpError(404, "Cette page est introuvable.");
  return kind as FormKey;
};

const ensureMel = (actor: Actor) =>
  ensureCan(
    actor.ability,
    "create",
    "ConventionCadre",
    "Seule la MEL établit les avenants à la convention cadre et les parts communales.",
  );

export const meta: MetaFunction = () => [{ title: "Avenant à la convention cadre — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const key = formOf(params.kind);
  const actor = await requireActor(request, context);
  ensureMel(actor);
  const organisations = await listOrganisations(actor);
  const options = (kind: string) =>
    organisations.filter((o) => o.kind === kind).map((o) => ({ value: o.id, label: o.name }));
  return {
    key,
    bailleurs: options("bailleur"),
    communes: key === "part-communale" ? options("commune") : [],
  };
}

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  attempt(async () => {
    const form = FORMS[formOf(params.kind)];
    const actor = await requireActor(request, context);
    ensureMel(actor);
    const parsed = parseFormData(await readProtectedForm(request), form.schema);
    if (!parsed.ok) return failed("Rien n'est enregistré : corrigez le formulaire.", parsed.errors);
    const created = await createConvention(actor, parsed.data, publicUrl());
    return redirect(`/conventions/${created.id}`);
  });

export default function CadreConventionPage() {
  const { key, bailleurs, communes } = useLoaderData<typeof loader>();
  const form = FORMS[key];
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { register, onSubmit, errorOf } = useZodForm(form.schema as never, result?.errors);
  // The fields are the form's (text), not the schema's output: the schema reads them through `fromMelForm`.
  const field = (name: string) => register(name as never);
  return (
    <div className="max-w-2xl space-y-6">
      <p className="text-sm">
        <Link className="underline" to="/conventions">
          ← Conventions
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">{form.title}</h1>
      <p className="text-sm text-muted-foreground">{form.intro}</p>
      {result && !result.ok && <Alert variant="destructive">{result.message}</Alert>}
      <Form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
        <CsrfInput />
        <input type="hidden" value={form.kind} {...field("kind")} />
        <SelectField
          label="Bailleur"
          options={bailleurs}
          error={errorOf("bailleurId")}
          {...field("bailleurId")}
        />
        {key === "part-communale" && (
          <>
            <SelectField
              label="Commune garante"
              options={communes}
              error={errorOf("communeId")}
              {...field("communeId")}
            />
            <Field
              label="Part du flux annuel (%)"
              inputMode="decimal"
              hint="Prise sur les 20 % de la MEL : les parts communales et la MEL ne dépassent pas 20 % ensemble."
              error={errorOf("rateBp")}
              {...field("rate")}
            />
          </>
        )}
        <div className="grid grid-cols-2 gap-4">
          <Field
            label="Première année"
            inputMode="numeric"
            defaultValue={String(CONVENTION_PERIOD.startYear)}
            error={errorOf("startYear")}
            {...field("startYear")}
          />
          <Field
            label="Dernière année"
            inputMode="numeric"
            defaultValue={String(CONVENTION_PERIOD.endYear)}
            error={errorOf("endYear")}
            {...field("endYear")}
          />
        </div>
        <p className="text-sm text-muted-foreground">
          Le projet est ensuite signé par chaque partie sur la page de la convention, après confirmation.
        </p>
        <Button type="submit" disabled={busy}>
          Enregistrer le projet
        </Button>
      </Form>
    </div>
  );
}
