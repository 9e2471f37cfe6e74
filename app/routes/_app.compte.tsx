import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { IntentForm } from "~/components/intent-form";
import { NewPasswordFields } from "~/components/new-password-fields";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { useZodForm } from "~/components/use-zod-form";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { lucia, serialiseSessionCookie } from "~/lib/auth.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import {
  API_TOKEN_DEFAULT_DAYS,
  API_TOKEN_MAX_DAYS,
  apiTokenSchema,
  changePasswordSchema,
  parseFormData,
} from "~/lib/validation";
import { changePassword, listSessions, logOutEverywhere } from "~/models/account.server";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/api-tokens.server";

export const meta: MetaFunction = () => [{ title: "Mon compte — Portail flux MEL" }];

const SCOPE_LABELS = { read: "Lecture", write: "Lecture et écriture" } as const;

export const loader = withHttpErrors(async ({ request, context }: LoaderFunctionArgs) => {
  const actor = await requireActor(request, context);
  return {
    user: actor.user,
    organisation: actor.organisation.name,
    tokens: await listApiTokens(actor),
    sessions: await listSessions(actor),
  };
});

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create-token") }),
  z.object({ intent: z.literal("revoke-token"), tokenId: z.uuid() }),
  z.object({ intent: z.literal("change-password") }),
  z.object({ intent: z.literal("log-out-everywhere") }),
]);

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const formData = await readProtectedForm(request);
    const intent = intentSchema.safeParse(Object.fromEntries(formData));
    if (!intent.success) return failed("Action inconnue : rechargez la page.");
    switch (intent.data.intent) {
      case "create-token": {
        const parsed = parseFormData(formData, apiTokenSchema);
        if (!parsed.ok) return failed("Le jeton n'a pas été créé : corrigez le formulaire.", parsed.errors);
        const { token, expiresAt } = await createApiToken(actor, parsed.data);
        return {
          ...succeeded(
            `Jeton « ${parsed.data.name} » créé (${SCOPE_LABELS[parsed.data.scope].toLowerCase()}, valable jusqu'au ${formatParis(expiresAt)}). Copiez-le maintenant : il ne sera plus affiché.`,
          ),
          token,
        };
      }
      case "revoke-token":
        await revokeApiToken(actor, intent.data.tokenId);
        return succeeded("Jeton révoqué : il ne permet plus d'accéder à l'API.");
      case "change-password": {
        const parsed = parseFormData(formData, changePasswordSchema);
        if (!parsed.ok)
          return failed("Le mot de passe n'a pas été changé : corrigez le formulaire.", parsed.errors);
        await changePassword(actor, parsed.data);
        return succeeded("Mot de passe changé. Vos autres sessions ont été fermées.");
      }
      case "log-out-everywhere":
        await logOutEverywhere(actor);
        return redirect("/connexion", {
          headers: { "Set-Cookie": serialiseSessionCookie(request, lucia.createBlankSessionCookie()) },
        });
    }
  });

export default function AccountPage() {
  const { user, organisation, tokens, sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const password = useZodForm(changePasswordSchema, result?.errors);
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
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      <Card>
        <CardHeader>
          <CardTitle>Jetons d'API</CardTitle>
          <CardDescription>
            Pour les logiciels de votre organisation : en-tête « Authorization: Bearer &lt;jeton&gt; » sur
            /api/v1 (documentation :{" "}
            <a className="text-primary underline" href="/api/v1/openapi.json">
              openapi.json
            </a>
            ). Un jeton agit en votre nom, pour {organisation}, avec vos droits ; il est révoqué si vous
            réinitialisez votre mot de passe ou si vos rôles changent.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
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
            <fieldset className="space-y-1.5 text-sm">
              <legend className="font-medium">Droits</legend>
              <div className="flex h-9 items-center gap-4">
                {(["read", "write"] as const).map((scope) => (
                  <label key={scope} className="flex items-center gap-1.5">
                    <input type="radio" name="scope" value={scope} defaultChecked={scope === "read"} />
                    {SCOPE_LABELS[scope]}
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="w-40">
              <Field
                label="Validité (jours)"
                name="expiresInDays"
                type="number"
                min={1}
                max={API_TOKEN_MAX_DAYS}
                defaultValue={API_TOKEN_DEFAULT_DAYS}
                error={result?.errors.expiresInDays}
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
                  <TableHead>Droits</TableHead>
                  <TableHead>Créé le</TableHead>
                  <TableHead>Expire le</TableHead>
                  <TableHead>Dernière utilisation</TableHead>
                  <TableHead>Action</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {tokens.map((t) => (
                  <TableRow key={t.id}>
                    <TableCell>{t.name}</TableCell>
                    <TableCell className="font-mono">{t.prefix}…</TableCell>
                    <TableCell>{SCOPE_LABELS[t.scope]}</TableCell>
                    <TableCell>{formatParis(t.createdAt)}</TableCell>
                    <TableCell>{formatParis(t.expiresAt)}</TableCell>
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
      <Card>
        <CardHeader>
          <CardTitle>Mot de passe</CardTitle>
          <CardDescription>Vos autres sessions seront fermées.</CardDescription>
        </CardHeader>
        <CardContent>
          <Form method="post" className="max-w-md space-y-4" onSubmit={password.onSubmit} noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="change-password" />
            <Field
              label="Mot de passe actuel"
              type="password"
              autoComplete="current-password"
              error={password.errorOf("currentPassword")}
              {...password.register("currentPassword")}
            />
            <NewPasswordFields
              label="Nouveau mot de passe"
              register={password.register}
              errorOf={password.errorOf}
            />
            <Button type="submit" disabled={navigation.state !== "idle"}>
              Changer le mot de passe
            </Button>
          </Form>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Sessions ouvertes</CardTitle>
          <CardDescription>
            Une session dure 8 heures sans activité et 7 jours au plus. Si vous ne reconnaissez pas l'une
            d'elles, déconnectez-vous partout et changez votre mot de passe.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Ouverte le</TableHead>
                <TableHead>Dernière activité</TableHead>
                <TableHead>Adresse</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sessions.map((s) => (
                <TableRow key={`${s.createdAt}-${s.lastSeenAt}-${s.ip}`}>
                  <TableCell>{formatParis(s.createdAt)}</TableCell>
                  <TableCell>
                    {formatParis(s.lastSeenAt)}
                    {s.current && " (cette session)"}
                  </TableCell>
                  <TableCell>{s.ip ?? "inconnue"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <IntentForm
            intent="log-out-everywhere"
            fields={{}}
            label="Se déconnecter partout"
            variant="destructive"
            confirm="Fermer toutes vos sessions, celle-ci comprise ?"
          />
        </CardContent>
      </Card>
    </div>
  );
}
