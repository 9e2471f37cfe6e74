import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { type CommuneChoice, CommuneMultiSelect } from "~/components/commune-multi-select";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { IntentForm } from "~/components/intent-form";
import { ProgrammeCells, ProgrammeHeads } from "~/components/programme-cells";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Label } from "~/components/ui/label";
import { NativeSelect } from "~/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { FINANCING_LABELS, TYPOLOGIES, TYPOLOGY_LABELS } from "~/domain/housing";
import { PROGRAMME_FINANCINGS, PROGRAMME_STATUS_LABELS } from "~/domain/programme";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { communeOptions } from "~/lib/communes.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { withHttpErrors } from "~/lib/http.server";
import { programmeSchema } from "~/lib/programme-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { fieldErrors } from "~/lib/validation";
import {
  campaignFollowUp,
  confirmDeliveriesUpdated,
  createProgramme,
  listProgrammes,
} from "~/models/programmes.server";

export const meta: MetaFunction = () => [{ title: "Programmes neufs — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const canCreate = actor.ability.can("create", "Programme");
  // 50 a page; « apres » is the last programme of the previous page.
  const { programmes, next } = await listProgrammes(actor, {
    after: new URL(request.url).searchParams.get("after") ?? undefined,
  });
  return {
    programmes,
    next,
    canCreate,
    communes: canCreate ? communeOptions() : [],
    campaign: canCreate && actor.ability.can("read", "DeliveryUpdate") ? await campaignFollowUp(actor) : null,
    canConsolidate: actor.ability.can("read", "Programme"),
  };
}

/** The form's flat lines come as aligned lists (typology[i], financing[i], pmr[i], count[i]). */
function flatsOf(formData: FormData) {
  const typologies = formData.getAll("typology");
  return typologies.map((typology, i) => ({
    typology,
    financing: formData.getAll("financing")[i],
    pmr: formData.getAll("pmr")[i] === "oui",
    count: formData.getAll("count")[i],
  }));
}

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const formData = await readProtectedForm(request);
    if (formData.get("intent") === "confirm-deliveries") {
      await confirmDeliveriesUpdated(actor);
      return succeeded("Merci : la MEL sait que vos livraisons à venir sont à jour.");
    }
    const parsed = programmeSchema.safeParse({
      communeInsee: formData.get("communeInsee"),
      name: formData.get("name"),
      address: formData.get("address"),
      firstLettingDate: formData.get("firstLettingDate"),
      flats: flatsOf(formData),
      announceOnly: formData.get("announceOnly") === "oui",
    });
    if (!parsed.success)
      return failed(
        "Le programme n'est pas enregistré : corrigez les champs indiqués.",
        fieldErrors(parsed.error),
      );
    const { id } = await createProgramme(actor, parsed.data, { baseUrl: publicUrl() });
    return redirect(`/programmes/${id}`);
  });

function DeclareForm({
  communes,
  errors,
}: {
  communes: CommuneChoice[];
  errors: Record<string, string | undefined>;
}) {
  const navigation = useNavigation();
  const [lines, setLines] = useState([0]);
  return (
    <Form method="post" className="space-y-4">
      <CsrfInput />
      <div className="grid gap-3 md:grid-cols-2">
        <div className="space-y-1.5">
          <Label htmlFor="communeInsee">Commune</Label>
          <CommuneMultiSelect
            id="communeInsee"
            name="communeInsee"
            communes={communes}
            single
            invalid={Boolean(errors.communeInsee)}
          />
          {errors.communeInsee && <p className="text-sm text-destructive">{errors.communeInsee}</p>}
        </div>
        <Field label="Nom du programme" name="name" required error={errors.name} />
        <Field label="Adresse" name="address" required error={errors.address} />
        <Field
          label="Date de première mise en location"
          name="firstLettingDate"
          type="date"
          required
          error={errors.firstLettingDate}
          hint="À déclarer 3 à 4 mois avant (convention cadre, art. 8)."
        />
      </div>
      <fieldset className="space-y-2">
        <legend className="font-medium">Logements</legend>
        {errors.flats && <p className="text-sm text-destructive">{errors.flats}</p>}
        {lines.map((line, index) => (
          <div key={line} className="grid grid-cols-2 items-end gap-2 md:grid-cols-5">
            <div className="space-y-1.5">
              <Label htmlFor={`typology-${line}`}>Typologie</Label>
              <NativeSelect id={`typology-${line}`} name="typology" className="w-full">
                {TYPOLOGIES.map((t) => (
                  <option key={t} value={t}>
                    {TYPOLOGY_LABELS[t]}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="space-y-1.5">
              <Label htmlFor={`financing-${line}`}>Financement</Label>
              <NativeSelect id={`financing-${line}`} name="financing" className="w-full">
                {PROGRAMME_FINANCINGS.map((f) => (
                  <option key={f} value={f}>
                    {FINANCING_LABELS[f]}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="space-y-1.5">
              <Label htmlFor={`pmr-${line}`}>PMR</Label>
              <NativeSelect id={`pmr-${line}`} name="pmr" className="w-full">
                <option value="non">Non</option>
                <option value="oui">Oui</option>
              </NativeSelect>
            </div>
            <Field label="Nombre" name="count" type="number" min={1} required />
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={lines.length === 1}
              onClick={() => setLines(lines.filter((_, i) => i !== index))}
              aria-label={`Retirer la ligne ${index + 1}`}
            >
              Retirer
            </Button>
          </div>
        ))}
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={() => setLines([...lines, Math.max(...lines) + 1])}
        >
          Ajouter une ligne de logements
        </Button>
      </fieldset>
      <div className="flex items-center gap-2">
        <input type="checkbox" id="announceOnly" name="announceOnly" value="oui" />
        <Label htmlFor="announceOnly">
          Annoncer seulement la livraison (déclaration aux réservataires plus tard)
        </Label>
      </div>
      <Button disabled={navigation.state !== "idle"}>Enregistrer le programme</Button>
    </Form>
  );
}

export default function ProgrammesPage() {
  const { programmes, next, canCreate, communes, campaign, canConsolidate } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = (result && !result.ok ? result.errors : {}) as Record<string, string | undefined>;
  const ownRequest = campaign?.requests[0];
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Programmes neufs (1re mise en service)</h1>
        {canConsolidate && (
          <Link to="/programmes/livraisons" className="font-medium underline">
            Livraisons par semestre
          </Link>
        )}
      </div>
      <p className="text-sm text-muted-foreground">
        3 à 4 mois avant la première mise en location, le bailleur transmet les caractéristiques des logements
        et une proposition de répartition entre réservataires ; les réservataires émettent leurs
        préconisations ; le bailleur arrête la répartition (convention cadre, art. 8).
      </p>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      {ownRequest && !ownRequest.answeredAt && (
        <Alert>
          <p>
            La MEL vous demande de mettre à jour vos livraisons à venir (campagne de {campaign.label}).
            Déclarez ou annoncez vos programmes, puis confirmez.
          </p>
          <div className="mt-2">
            <IntentForm intent="confirm-deliveries" fields={{}} label="Mes livraisons à venir sont à jour" />
          </div>
        </Alert>
      )}
      {canCreate && (
        <Card>
          <CardHeader>
            <CardTitle>Déclarer un programme</CardTitle>
          </CardHeader>
          <CardContent>
            <DeclareForm communes={communes} errors={errors} />
          </CardContent>
        </Card>
      )}
      <Table>
        <TableHeader>
          <TableRow>
            <ProgrammeHeads />
            <TableHead>État</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {programmes.length === 0 && (
            <TableRow>
              <TableCell colSpan={6}>Aucun programme.</TableCell>
            </TableRow>
          )}
          {programmes.map((p) => (
            <TableRow key={p.id}>
              <ProgrammeCells programme={p} />
              <TableCell className="space-x-1">
                <span>{PROGRAMME_STATUS_LABELS[p.status]}</span>
                {p.lateDeclaration && (
                  <Badge className="bg-red-100 text-red-900">Déclaré moins de 3 mois avant</Badge>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {next && (
        <Link className="text-primary underline" to={`?after=${next}`}>
          Programmes suivants
        </Link>
      )}
    </div>
  );
}
