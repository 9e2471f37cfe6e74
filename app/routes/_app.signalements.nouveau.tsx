import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ensureCan } from "#policies/guard.server";
import { CommuneMultiSelect } from "~/components/commune-multi-select";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Label } from "~/components/ui/label";
import { NativeSelect } from "~/components/ui/native-select";
import { useZodForm } from "~/components/use-zod-form";
import { TYPOLOGIES, TYPOLOGY_LABELS } from "~/domain/housing";
import {
  INCOME_QUARTILES,
  NUMERO_UNIQUE_SHAPE,
  PUBLIC_CATEGORIES,
  PUBLIC_CATEGORY_LABELS,
  SENSITIVE_DATA_WARNING,
  URGENCIES,
  URGENCY_LABELS,
} from "~/domain/signalement";
import { attempt, failed } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { communeOptions } from "~/lib/communes.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { ordinal } from "~/lib/french";
import { withHttpErrors } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { signalementSchema } from "~/lib/signalement-schemas";
import { parseFormData } from "~/lib/validation";
import { bailleurChoices } from "~/models/bailleurs.server";
import { createSignalement } from "~/models/signalements.server";

export const meta: MetaFunction = () => [{ title: "Signaler un ménage — Portail flux MEL" }];

async function communeActor(request: Request, context: LoaderFunctionArgs["context"]) {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "create", "Signalement");
  return actor;
}

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await communeActor(request, context);
  return { bailleurs: await bailleurChoices(actor), communes: communeOptions() };
}

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await communeActor(request, context);
    const formData = await readProtectedForm(request);
    const parsed = parseFormData(formData, signalementSchema, ["bailleurSlugs", "communesWanted"]);
    if (!parsed.ok) return failed("Le signalement n'est pas parti : corrigez le formulaire.", parsed.errors);
    const { id } = await createSignalement(actor, parsed.data, { baseUrl: publicUrl() });
    return redirect(`/signalements/${id}`);
  });

function ErrorText({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} role="alert" className="text-sm text-destructive">
      {error}
    </p>
  ) : null;
}

export default function NewSignalementPage() {
  const { bailleurs, communes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const serverErrors = result && "errors" in result ? result.errors : undefined;
  const { register, onSubmit, errorOf, setField } = useZodForm(signalementSchema, serverErrors);
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Signaler un ménage</h1>
        <Link to="/signalements" className="underline">
          Retour aux signalements
        </Link>
      </div>
      <Alert variant="default">
        <strong>Données personnelles.</strong> {SENSITIVE_DATA_WARNING} Le signalement ne sera visible que de
        votre commune, des bailleurs choisis et de la MEL.
      </Alert>
      {result && "message" in result && !result.ok && <Alert variant="destructive">{result.message}</Alert>}
      <Form method="post" onSubmit={onSubmit} noValidate className="space-y-6">
        <CsrfInput />
        <Card>
          <CardHeader>
            <CardTitle>Le ménage</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4 md:grid-cols-2">
            <Field
              label="Numéro unique (SNE)"
              hint={NUMERO_UNIQUE_SHAPE}
              error={errorOf("numeroUnique")}
              {...register("numeroUnique")}
            />
            <div className="space-y-1.5">
              <Label htmlFor="publicCategory">Public</Label>
              <NativeSelect
                id="publicCategory"
                className="w-full"
                aria-describedby="publicCategory-error"
                {...register("publicCategory")}
              >
                <option value="">— Choisir —</option>
                {PUBLIC_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {PUBLIC_CATEGORY_LABELS[c]}
                  </option>
                ))}
              </NativeSelect>
              <ErrorText id="publicCategory-error" error={errorOf("publicCategory")} />
            </div>
            <Field
              label="Adultes"
              type="number"
              min={1}
              max={20}
              error={errorOf("adults")}
              {...register("adults")}
            />
            <Field
              label="Enfants"
              type="number"
              min={0}
              max={20}
              defaultValue={0}
              error={errorOf("children")}
              {...register("children")}
            />
            <div className="space-y-1.5">
              <Label htmlFor="typology">Typologie souhaitée</Label>
              <NativeSelect
                id="typology"
                className="w-full"
                aria-describedby="typology-error"
                {...register("typology")}
              >
                <option value="">— Choisir —</option>
                {TYPOLOGIES.map((t) => (
                  <option key={t} value={t}>
                    {TYPOLOGY_LABELS[t]}
                  </option>
                ))}
              </NativeSelect>
              <ErrorText id="typology-error" error={errorOf("typology")} />
            </div>
            <div className="space-y-1.5">
              <Label htmlFor="incomeQuartile">Quartile de ressources (si connu)</Label>
              <NativeSelect id="incomeQuartile" className="w-full" {...register("incomeQuartile")}>
                <option value="">Inconnu</option>
                {INCOME_QUARTILES.map((q) => (
                  <option key={q} value={q}>
                    {ordinal(q)} quartile
                  </option>
                ))}
              </NativeSelect>
              <ErrorText id="incomeQuartile-error" error={errorOf("incomeQuartile")} />
            </div>
            <div className="space-y-1.5">
              <Label htmlFor="urgency">Urgence</Label>
              <NativeSelect id="urgency" className="w-full" defaultValue="normal" {...register("urgency")}>
                {URGENCIES.map((u) => (
                  <option key={u} value={u}>
                    {URGENCY_LABELS[u]}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="space-y-1.5 md:col-span-2">
              <Label htmlFor="communesWanted">Communes souhaitées</Label>
              <CommuneMultiSelect
                id="communesWanted"
                name="communesWanted"
                communes={communes}
                describedBy="communesWanted-error"
                invalid={!!errorOf("communesWanted")}
                onChange={(codes) => setField("communesWanted", codes)}
              />
              <ErrorText id="communesWanted-error" error={errorOf("communesWanted")} />
            </div>
            <div className="space-y-1.5 md:col-span-2">
              <Label htmlFor="reason">Motif du signalement (court)</Label>
              <textarea
                id="reason"
                rows={3}
                maxLength={500}
                className="w-full rounded-md border border-input bg-background p-2 text-sm"
                aria-describedby="reason-hint reason-error"
                {...register("reason")}
              />
              <p id="reason-hint" className="text-xs text-muted-foreground">
                {SENSITIVE_DATA_WARNING}
              </p>
              <ErrorText id="reason-error" error={errorOf("reason")} />
            </div>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Bailleurs destinataires</CardTitle>
          </CardHeader>
          <CardContent>
            <fieldset className="grid gap-2 md:grid-cols-3" aria-describedby="bailleurSlugs-error">
              <legend className="sr-only">Bailleurs destinataires</legend>
              {bailleurs.map((b) => (
                <label key={b.slug} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" value={b.slug} className="h-4 w-4" {...register("bailleurSlugs")} />
                  {b.name}
                </label>
              ))}
            </fieldset>
            <ErrorText id="bailleurSlugs-error" error={errorOf("bailleurSlugs")} />
          </CardContent>
        </Card>
        <Button type="submit" disabled={navigation.state !== "idle"}>
          Envoyer le signalement
        </Button>
      </Form>
    </div>
  );
}
