import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ensureCan } from "#policies/guard.server";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { attempt, failed } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { cribSessionSchema } from "~/lib/crib-schemas";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatDay, formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { parseFormData } from "~/lib/validation";
import { createCribSession, listCribSessions } from "~/models/crib.server";

export const meta: MetaFunction = () => [{ title: "Liste de la CRIB — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return {
    sessions: await listCribSessions(actor),
    canManage: actor.ability.can("create", "CribCase"),
  };
}

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    ensureCan(actor.ability, "create", "CribCase");
    const formData = await readProtectedForm(request);
    const parsed = parseFormData(formData, cribSessionSchema);
    if (!parsed.ok) return failed("La session n'est pas créée.", parsed.errors);
    const { id } = await createCribSession(actor, parsed.data.heldOn);
    return redirect(`/crib/${id}`);
  });

export default function CribSessionsPage() {
  const { sessions, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Liste de la CRIB</h1>
      <p className="text-sm text-muted-foreground">
        Mutations bloquées ou complexes (MBC) labellisées, envoyées en inter-bailleurs par la CRIB. La MEL
        tient la liste de chaque session et la publie ; chaque bailleur répond ; l'URH désigne un bailleur
        pilote et suit chaque cas.
      </p>
      {result && !result.ok && <Alert variant="destructive">{result.message}</Alert>}
      {canManage && (
        <Card>
          <CardHeader>
            <CardTitle>Nouvelle session</CardTitle>
          </CardHeader>
          <CardContent>
            <Form method="post" className="flex flex-wrap items-end gap-3">
              <CsrfInput />
              <Field
                label="Date de la CRIB"
                name="heldOn"
                type="date"
                required
                error={result && !result.ok ? result.errors.heldOn : undefined}
              />
              <Button disabled={navigation.state !== "idle"}>Créer la liste</Button>
            </Form>
          </CardContent>
        </Card>
      )}
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Session</TableHead>
            <TableHead>Cas</TableHead>
            <TableHead>Publication</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sessions.length === 0 && (
            <TableRow>
              <TableCell colSpan={3}>Aucune liste publiée.</TableCell>
            </TableRow>
          )}
          {sessions.map((s) => (
            <TableRow key={s.id}>
              <TableCell>
                <Link to={`/crib/${s.id}`} className="underline">
                  CRIB du {formatDay(s.heldOn)}
                </Link>
              </TableCell>
              <TableCell>{s.cases}</TableCell>
              <TableCell>
                {s.publishedAt ? `Publiée le ${formatParis(s.publishedAt)}` : "Non publiée"}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
