import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ORGANISATION_KINDS } from "#db/schema";
import { ensureCan } from "#policies/guard.server";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Label } from "~/components/ui/label";
import { NativeSelect } from "~/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { withHttpErrors } from "~/lib/http.server";
import { ORGANISATION_KIND_LABELS } from "~/lib/labels";
import { organisationSchema, parseFormData } from "~/lib/validation";
import { createOrganisation, listOrganisations, PLATFORM_ONLY } from "~/models/organisations.server";

export const meta: MetaFunction = () => [{ title: "Organisations de la plateforme — Portail flux MEL" }];

// The page is the platform's: shown to those who may add an organisation, though the directory itself is public.
export const loader = withHttpErrors(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "create", "Organisation", PLATFORM_ONLY);
  const organisations = await listOrganisations(actor);
  return {
    organisations: organisations.map((o) => ({ ...o, kindLabel: ORGANISATION_KIND_LABELS[o.kind] })),
  };
});

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const parsed = parseFormData(await readProtectedForm(request), organisationSchema);
    if (!parsed.ok)
      return failed("L'organisation n'a pas été créée : corrigez le formulaire.", parsed.errors);
    const organisation = await createOrganisation(actor, parsed.data);
    return succeeded(
      `${organisation.name} est créée : invitez son premier administrateur depuis sa page « Membres ».`,
    );
  });

export default function PlatformOrganisationsPage() {
  const { organisations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Organisations de la plateforme</h1>
      <Card>
        <CardHeader>
          <CardTitle>Ajouter une organisation</CardTitle>
        </CardHeader>
        <CardContent>
          <Form method="post" className="grid gap-4 md:grid-cols-2" noValidate>
            <CsrfInput />
            {result && (
              <Alert className="md:col-span-2" variant={result.ok ? "success" : "destructive"}>
                {result.message}
              </Alert>
            )}
            <div className="space-y-1.5">
              <Label htmlFor="kind">Type</Label>
              <NativeSelect id="kind" name="kind" className="h-10 w-full px-3">
                {ORGANISATION_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {ORGANISATION_KIND_LABELS[k]}
                  </option>
                ))}
              </NativeSelect>
              {result?.errors.kind && <p className="text-sm text-destructive">{result.errors.kind}</p>}
            </div>
            <Field label="Nom" name="name" error={result?.errors.name} />
            <Field
              label="Identifiant (slug)"
              name="slug"
              hint="Ex. habitat-exemple ; il figure dans les adresses e-mail de démonstration."
              error={result?.errors.slug}
            />
            <Field label="Code INSEE (communes)" name="inseeCode" error={result?.errors.inseeCode} />
            <Field label="SIREN" name="siren" error={result?.errors.siren} />
            <div className="flex items-end">
              <Button type="submit" disabled={navigation.state !== "idle"}>
                Créer l'organisation
              </Button>
            </div>
          </Form>
        </CardContent>
      </Card>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Organisation</TableHead>
            <TableHead>Type</TableHead>
            <TableHead>Identifiant</TableHead>
            <TableHead>Membres</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {organisations.map((o) => (
            <TableRow key={o.id}>
              <TableCell>{o.name}</TableCell>
              <TableCell>{o.kindLabel}</TableCell>
              <TableCell className="font-mono text-xs">{o.slug}</TableCell>
              <TableCell>
                <Link className="text-primary underline" to={`/organisations/${o.id}/membres`}>
                  Gérer les membres
                </Link>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
