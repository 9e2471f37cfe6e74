import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ensureCan } from "#policies/guard.server";
import { ConventionForm, newTerms } from "~/components/convention-form";
import { Alert } from "~/components/ui/alert";
import { attempt, failed } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { parseBilateralForm } from "~/lib/convention-schemas";
import { readProtectedForm } from "~/lib/csrf.server";
import { withHttpErrors } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { listBailleurs } from "~/models/assiette.server";
import { createConvention } from "~/models/conventions.server";

export const meta: MetaFunction = () => [{ title: "Établir une convention bilatérale — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "create", "Convention", "Seul un réservataire établit une convention bilatérale.");
  return {
    bailleurs: (await listBailleurs(actor)).map((b) => ({ id: b.id, name: b.name })),
    // The financial annex is the MEL's (model art. 7, Annex 2: 004 lines 730, 772–800).
    withAnnex: actor.organisation.kind === "metropole",
  };
}

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const formData = await readProtectedForm(request);
    const parsed = parseBilateralForm(formData);
    if (!parsed.ok)
      return failed("La convention n'est pas enregistrée : corrigez le formulaire.", parsed.errors);
    const created = await createConvention(actor, parsed.data, publicUrl());
    return redirect(`/conventions/${created.id}`);
  });

export default function NewConvention() {
  const { bailleurs, withAnnex } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Établir une convention bilatérale</h1>
      <p className="text-sm text-muted-foreground">
        Sur le modèle de l'annexe 2 de la convention cadre 2024-2026. Les signataires des deux parties la
        signent ensuite sur le portail ; tant que personne ne l'a signée, vous pouvez la modifier.
      </p>
      {result && !result.ok && <Alert variant="destructive">{result.message}</Alert>}
      <ConventionForm
        intent="create"
        terms={newTerms(withAnnex)}
        bailleurs={bailleurs}
        errors={result && !result.ok ? result.errors : {}}
        submitLabel="Enregistrer le projet"
      />
    </div>
  );
}
