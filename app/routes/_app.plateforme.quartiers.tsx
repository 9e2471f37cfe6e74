import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Label } from "~/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { QPV_CODE_HINT } from "~/domain/qpv";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { withHttpErrors } from "~/lib/http.server";
import { createQpv, importQpvFile, listQpvs, setQpvActive } from "~/models/qpv.server";

export const meta: MetaFunction = () => [{ title: "Quartiers prioritaires — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return { quartiers: await listQpvs(actor), canWrite: actor.ability.can("create", "Qpv") };
}

const text = z.preprocess((v) => (typeof v === "string" ? v : ""), z.string());
const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), code: text, name: text, communeInsee: text }),
  z.object({ intent: z.literal("import") }),
  z.object({ intent: z.enum(["activate", "deactivate"]), code: z.string().min(1) }),
]);

const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? "s" : ""}`;

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const form = await readProtectedForm(request);
    const input = intentSchema.safeParse(Object.fromEntries(form));
    if (!input.success) return failed("Action inconnue : rechargez la page.");
    const { data } = input;
    if (data.intent === "create") {
      const entry = await createQpv(actor, data);
      return succeeded(`Quartier « ${entry.name} » (${entry.code}) ajouté.`);
    }
    if (data.intent === "import") {
      const file = form.get("file");
      if (!(file instanceof File) || file.size === 0)
        return failed("Choisissez le fichier CSV de la liste des quartiers à importer.");
      const result = await importQpvFile(actor, new Uint8Array(await file.arrayBuffer()));
      return succeeded(
        `${plural(result.created, "quartier")} importé${result.created > 1 ? "s" : ""}, ${result.updated} mis à jour, ${result.unchanged} inchangé${result.unchanged > 1 ? "s" : ""}.`,
      );
    }
    await setQpvActive(actor, data.code, data.intent === "activate");
    return succeeded(
      data.intent === "activate"
        ? `Quartier ${data.code} rétabli dans la liste.`
        : `Quartier ${data.code} retiré de la liste : il n'est plus proposé, les attributions enregistrées le gardent.`,
    );
  });

export default function QuartiersPage() {
  const { quartiers, canWrite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const lineErrors =
    result && !result.ok ? Object.entries(result.errors).filter(([k]) => k.startsWith("ligne")) : [];
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Quartiers prioritaires de la MEL</h1>
        <p className="text-sm text-muted-foreground">
          Les quartiers prioritaires de la politique de la ville (liste officielle : décret du 28 décembre
          2023). Ils nomment le quartier d'une attribution en QPV et le bilan métropolitain par quartier. La
          liste n'est pas fournie avec le portail : la MEL l'importe depuis le fichier officiel.
        </p>
      </div>
      {result && (
        <Alert variant={result.ok ? "success" : "destructive"}>
          <p>{result.message}</p>
          {lineErrors.length > 0 && (
            <ul className="mt-2 list-disc space-y-1 pl-5">
              {lineErrors.map(([line, message]) => (
                <li key={line}>{message}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      {canWrite && (
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>Importer la liste officielle (CSV)</CardTitle>
            </CardHeader>
            <CardContent>
              <Form method="post" encType="multipart/form-data" className="space-y-3">
                <CsrfInput />
                <input type="hidden" name="intent" value="import" />
                <p className="text-sm text-muted-foreground">
                  Trois colonnes, la première ligne les nomme : <code>code;nom;commune INSEE</code>{" "}
                  (séparateur « ; » ou « , »). Les codes connus sont mis à jour, les nouveaux ajoutés ; un
                  fichier avec une ligne fausse est refusé en entier.
                </p>
                <div className="space-y-1.5">
                  <Label htmlFor="file">Fichier CSV</Label>
                  <input
                    id="file"
                    name="file"
                    type="file"
                    accept=".csv,text/csv"
                    className="block w-full text-sm"
                  />
                </div>
                <Button type="submit" disabled={navigation.state !== "idle"}>
                  Importer
                </Button>
              </Form>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Ajouter un quartier</CardTitle>
            </CardHeader>
            <CardContent>
              <Form method="post" className="grid gap-3 sm:grid-cols-2" noValidate>
                <CsrfInput />
                <input type="hidden" name="intent" value="create" />
                <Field label="Code" name="code" hint={QPV_CODE_HINT} error={result?.errors.code} />
                <Field label="Nom du quartier" name="name" error={result?.errors.name} />
                <Field
                  label="Code INSEE de la commune"
                  name="communeInsee"
                  hint="Par exemple 59350 pour Lille."
                  error={result?.errors.communeInsee}
                />
                <div className="flex items-end">
                  <Button type="submit" disabled={navigation.state !== "idle"}>
                    Ajouter le quartier
                  </Button>
                </div>
              </Form>
            </CardContent>
          </Card>
        </div>
      )}
      <section aria-labelledby="liste" className="space-y-2">
        <h2 id="liste" className="text-lg font-semibold">
          {plural(quartiers.length, "quartier")}
        </h2>
        {quartiers.length === 0 ? (
          <p>
            Aucun quartier enregistré : le bilan métropolitain classe les logements en QPV sous « QPV non
            renseigné ».
          </p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Code</TableHead>
                <TableHead>Quartier</TableHead>
                <TableHead>Commune</TableHead>
                <TableHead>État</TableHead>
                {canWrite && <TableHead>Action</TableHead>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {quartiers.map((q) => (
                <TableRow key={q.code}>
                  <TableCell className="font-mono text-xs">{q.code}</TableCell>
                  <TableCell>{q.name}</TableCell>
                  <TableCell>
                    {q.communeName} ({q.communeInsee})
                  </TableCell>
                  <TableCell>
                    <Badge
                      className={q.active ? "border-green-700/40 bg-green-50 text-green-900" : undefined}
                    >
                      {q.active ? "Dans la liste" : "Retiré"}
                    </Badge>
                  </TableCell>
                  {canWrite && (
                    <TableCell>
                      <IntentForm
                        intent={q.active ? "deactivate" : "activate"}
                        fields={{ code: q.code }}
                        label={q.active ? "Retirer" : "Rétablir"}
                        ariaLabel={`${q.active ? "Retirer" : "Rétablir"} le quartier ${q.name}`}
                        confirm={
                          q.active
                            ? `Retirer le quartier ${q.name} de la liste ? Il ne sera plus proposé pour une nouvelle attribution.`
                            : undefined
                        }
                      />
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
    </div>
  );
}
