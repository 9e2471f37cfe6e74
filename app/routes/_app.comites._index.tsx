import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Label } from "~/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { attempt, failed } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatDay, formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { comiteSchema } from "~/lib/programme-schemas";
import { parseFormData } from "~/lib/validation";
import { bailleurChoices } from "~/models/bailleurs.server";
import { createComite, listComites } from "~/models/comites.server";

export const meta: MetaFunction = () => [{ title: "Comité de suivi — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const canManage = actor.ability.can("create", "Comite");
  return {
    comites: await listComites(actor),
    canManage,
    bailleurs: canManage ? await bailleurChoices(actor) : [],
  };
}

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const parsed = parseFormData(await readProtectedForm(request), comiteSchema, ["bailleurs"]);
    if (!parsed.ok)
      return failed("La réunion n'est pas planifiée : corrigez les champs indiqués.", parsed.errors);
    const { id } = await createComite(actor, parsed.data);
    return redirect(`/comites/${id}`);
  });

export default function ComitesPage() {
  const { comites, canManage, bailleurs } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = (result && !result.ok ? result.errors : {}) as Record<string, string | undefined>;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Comité de suivi des contingents</h1>
      <p className="text-sm text-muted-foreground">
        Composé des réservataires et de l'URH ; les bailleurs sont associés selon l'ordre du jour. Il se
        réunit au moins une fois par an ; la MEL en fait un reporting aux communes (convention cadre, art.
        10).
      </p>
      {result && !result.ok && <Alert variant="destructive">{result.message}</Alert>}
      {canManage && (
        <Card>
          <CardHeader>
            <CardTitle>Planifier une réunion</CardTitle>
          </CardHeader>
          <CardContent>
            <Form method="post" className="space-y-3">
              <CsrfInput />
              <div className="grid gap-3 md:grid-cols-2">
                <Field label="Date" name="heldOn" type="date" required error={errors.heldOn} />
                <Field label="Heure (Paris)" name="heldTime" type="time" error={errors.heldTime} />
                <Field label="Lieu" name="place" required error={errors.place} />
              </div>
              <div className="space-y-1.5">
                <Label htmlFor="agenda">Ordre du jour</Label>
                <textarea
                  id="agenda"
                  name="agenda"
                  required
                  rows={4}
                  className="w-full rounded-md border border-input p-2 text-sm"
                />
                {errors.agenda && <p className="text-sm text-destructive">{errors.agenda}</p>}
              </div>
              <fieldset>
                <legend className="text-sm font-medium">Bailleurs invités (selon l'ordre du jour)</legend>
                <div className="grid gap-1 md:grid-cols-3">
                  {bailleurs.map((b) => (
                    <label key={b.slug} className="flex items-center gap-2 text-sm">
                      <input type="checkbox" name="bailleurs" value={b.slug} /> {b.name}
                    </label>
                  ))}
                </div>
              </fieldset>
              <Button disabled={navigation.state !== "idle"}>Planifier</Button>
            </Form>
          </CardContent>
        </Card>
      )}
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Réunion</TableHead>
            <TableHead>Lieu</TableHead>
            <TableHead>Convocation</TableHead>
            <TableHead>Reporting</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {comites.length === 0 && (
            <TableRow>
              <TableCell colSpan={4}>Aucune réunion.</TableCell>
            </TableRow>
          )}
          {comites.map((c) => (
            <TableRow key={c.id}>
              <TableCell>
                <Link to={`/comites/${c.id}`} className="underline">
                  Comité du {formatDay(c.heldOn)}
                </Link>
              </TableCell>
              <TableCell>{c.place}</TableCell>
              <TableCell>{c.convenedAt ? `Envoyée le ${formatParis(c.convenedAt)}` : "À envoyer"}</TableCell>
              <TableCell>
                {c.publishedAt ? `Publié le ${formatParis(c.publishedAt)}` : "Non publié"}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
