import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { auditActorOf, requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatParis } from "~/lib/dates";
import { apiTokenSchema, parseFormData } from "~/lib/validation";
import { createApiToken, getApiToken, listApiTokens, revokeApiToken } from "~/models/api-tokens.server";

export const meta: MetaFunction = () => [{ title: "Mon compte — Portail flux MEL" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "read", "ApiToken");
  return {
    user: actor.user,
    organisation: actor.organisation.name,
    tokens: await listApiTokens(actor.user.id),
  };
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create-token") }),
  z.object({ intent: z.literal("revoke-token"), tokenId: z.uuid() }),
]);

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const formData = await readProtectedForm(request);
    const intent = intentSchema.safeParse(Object.fromEntries(formData));
    if (!intent.success) return failed("Action inconnue : rechargez la page.");
    if (intent.data.intent === "create-token") {
      ensureCan(actor.ability, "create", "ApiToken");
      const parsed = parseFormData(formData, apiTokenSchema);
      if (!parsed.ok) return failed("Le jeton n'a pas été créé : corrigez le formulaire.", parsed.errors);
      const { token } = await createApiToken(auditActorOf(actor), parsed.data.name);
      return {
        ...succeeded(`Jeton « ${parsed.data.name} » créé. Copiez-le maintenant : il ne sera plus affiché.`),
        token,
      };
    }
    ensureCanOn(actor.ability, "delete", "ApiToken", await getApiToken(intent.data.tokenId), "Ce jeton");
    await revokeApiToken(auditActorOf(actor), intent.data.tokenId);
    return succeeded("Jeton révoqué : il ne permet plus d'accéder à l'API.");
  });

export default function AccountPage() {
  const { user, organisation, tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Mon compte</h1>
      <dl className="grid max-w-lg grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="font-medium">Nom</dt>
        <dd>{user.name}</dd>
        <dt className="font-medium">E-mail</dt>
        <dd>{user.email}</dd>
        <dt className="font-medium">Organisation</dt>
        <dd>{organisation}</dd>
      </dl>
      <Card>
        <CardHeader>
          <CardTitle>Jetons d'API</CardTitle>
          <CardDescription>
            Pour les logiciels de votre organisation : en-tête « Authorization: Bearer &lt;jeton&gt; » sur
            /api/v1 (documentation :{" "}
            <a className="text-primary underline" href="/api/v1/openapi.json">
              openapi.json
            </a>
            ). Un jeton agit en votre nom, pour {organisation}, avec vos droits.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
          {result && "token" in result && (
            <output
              className="block break-all rounded bg-muted p-3 font-mono text-sm"
              aria-label="Nouveau jeton"
            >
              {result.token}
            </output>
          )}
          <Form method="post" className="flex flex-wrap items-end gap-3" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="create-token" />
            <div className="min-w-64 flex-1">
              <Field
                label="Nom du jeton"
                name="name"
                placeholder="Logiciel de gestion locative"
                error={result?.errors.name}
              />
            </div>
            <Button type="submit" disabled={navigation.state !== "idle"}>
              Créer un jeton
            </Button>
          </Form>
          {tokens.length > 0 && (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Nom</TableHead>
                  <TableHead>Début</TableHead>
                  <TableHead>Créé le</TableHead>
                  <TableHead>Dernière utilisation</TableHead>
                  <TableHead>Action</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {tokens.map((t) => (
                  <TableRow key={t.id}>
                    <TableCell>{t.name}</TableCell>
                    <TableCell className="font-mono">{t.prefix}…</TableCell>
                    <TableCell>{formatParis(t.createdAt)}</TableCell>
                    <TableCell>{t.lastUsedAt ? formatParis(t.lastUsedAt) : "jamais"}</TableCell>
                    <TableCell>
                      <IntentForm
                        intent="revoke-token"
                        fields={{ tokenId: t.id }}
                        label="Révoquer"
                        variant="destructive"
                        confirm={`Révoquer le jeton « ${t.name} » ? Les logiciels qui l'utilisent perdront l'accès.`}
                      />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
