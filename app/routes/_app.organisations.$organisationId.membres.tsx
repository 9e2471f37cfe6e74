import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { ROLES } from "#db/schema";
import { asSubject } from "#policies/ability";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { publicUrl, uuidParam } from "~/lib/route-params.server";
import { invitationSchema, parseFormData, ROLE_LABELS, rolesField } from "~/lib/validation";
import { createInvitation, pendingInvitations, revokeInvitation } from "~/models/invitations.server";
import { getMembership, listMembers, setMemberActive, updateRoles } from "~/models/members.server";
import { getOrganisation } from "~/models/organisations.server";

export const meta: MetaFunction = () => [{ title: "Membres de l'organisation — Portail flux MEL" }];

/** The actor and the page's organisation (404 when there is none). */
async function loadOrganisation(
  request: Request,
  context: LoaderFunctionArgs["context"],
  param: string | undefined,
) {
  const actor = await requireActor(request, context);
  const organisation = await getOrganisation(actor, uuidParam(param, "Cette organisation"));
  return { actor, organisation };
}

export const loader = withHttpErrors(async ({ request, context, params }: LoaderFunctionArgs) => {
  const { actor, organisation } = await loadOrganisation(request, context, params.organisationId);
  const scope = { organisationId: organisation.id };
  return {
    organisation: { id: organisation.id, name: organisation.name },
    members: await listMembers(actor, organisation.id),
    invitations: await pendingInvitations(actor, organisation.id),
    canInvite: actor.ability.can("create", asSubject("Invitation", scope)),
    canManage: actor.ability.can("update", asSubject("Membership", scope)),
    me: actor.user.id,
  };
});

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("invite") }),
  z.object({ intent: z.literal("revoke-invitation"), invitationId: z.uuid() }),
  z.object({ intent: z.literal("update-roles"), membershipId: z.uuid() }),
  z.object({ intent: z.literal("deactivate"), membershipId: z.uuid() }),
  z.object({ intent: z.literal("reactivate"), membershipId: z.uuid() }),
]);

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  attempt(() => act({ request, context, params }));

async function act({ request, context, params }: Pick<ActionFunctionArgs, "request" | "context" | "params">) {
  const { actor, organisation } = await loadOrganisation(request, context, params.organisationId);
  const formData = await readProtectedForm(request);
  const intent = intentSchema.safeParse(Object.fromEntries(formData));
  if (!intent.success) return failed("Action inconnue : rechargez la page.");
  const input = intent.data;

  if (input.intent === "invite") {
    const parsed = parseFormData(formData, invitationSchema, ["roles"]);
    if (!parsed.ok) return failed("L'invitation n'est pas partie : corrigez le formulaire.", parsed.errors);
    await createInvitation(actor, {
      organisationId: organisation.id,
      ...parsed.data,
      baseUrl: publicUrl(),
    });
    return succeeded(`Invitation envoyée à ${parsed.data.email}.`);
  }
  if (input.intent === "revoke-invitation") {
    await revokeInvitation(actor, { organisationId: organisation.id, invitationId: input.invitationId });
    return succeeded("Invitation annulée.");
  }
  // Only a member of the page's organisation: the steps below check the actor may update them.
  await getMembership(actor, organisation.id, input.membershipId);
  if (input.intent === "update-roles") {
    const roles = rolesField.safeParse(formData.getAll("roles"));
    if (!roles.success) return failed(roles.error.issues[0]!.message);
    await updateRoles(actor, input.membershipId, roles.data);
    return succeeded("Rôles mis à jour.");
  }
  await setMemberActive(actor, input.membershipId, input.intent === "reactivate");
  return succeeded(
    input.intent === "reactivate" ? "Membre réactivé." : "Membre désactivé : ses sessions sont fermées.",
  );
}

function RoleCheckboxes({ name, checked = [] }: { name: string; checked?: string[] }) {
  return (
    <fieldset className="flex flex-wrap gap-4">
      <legend className="sr-only">Rôles</legend>
      {ROLES.map((role) => (
        <label key={role} className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name={name}
            value={role}
            defaultChecked={checked.includes(role)}
            className="h-4 w-4"
          />
          {ROLE_LABELS[role]}
        </label>
      ))}
    </fieldset>
  );
}

export default function MembersPage() {
  const { organisation, members, invitations, canInvite, canManage, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Membres — {organisation.name}</h1>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}

      {canInvite && (
        <Card>
          <CardHeader>
            <CardTitle>Inviter un collègue</CardTitle>
          </CardHeader>
          <CardContent>
            <Form method="post" className="space-y-4" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="invite" />
              <Field label="Adresse e-mail" name="email" type="email" required error={result?.errors.email} />
              <div className="space-y-1.5">
                <p className="text-sm font-medium">Rôles</p>
                <RoleCheckboxes name="roles" checked={["gestionnaire"]} />
                {result?.errors.roles && <p className="text-sm text-destructive">{result.errors.roles}</p>}
              </div>
              <Button type="submit" disabled={busy}>
                Envoyer l'invitation
              </Button>
            </Form>
          </CardContent>
        </Card>
      )}

      <section aria-labelledby="membres">
        <h2 id="membres" className="mb-2 text-lg font-semibold">
          Membres ({members.length})
        </h2>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Nom</TableHead>
              <TableHead>E-mail</TableHead>
              <TableHead>Rôles</TableHead>
              <TableHead>Statut</TableHead>
              {canManage && <TableHead>Actions</TableHead>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.map((m) => (
              <TableRow key={m.id}>
                <TableCell>{m.name}</TableCell>
                <TableCell>{m.email}</TableCell>
                <TableCell>
                  {canManage ? (
                    <Form method="post" className="flex flex-wrap items-center gap-2">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="update-roles" />
                      <input type="hidden" name="membershipId" value={m.id} />
                      <RoleCheckboxes name="roles" checked={m.roles} />
                      <Button
                        size="sm"
                        variant="outline"
                        disabled={busy}
                        aria-label={`Enregistrer les rôles de ${m.name}`}
                      >
                        Enregistrer
                      </Button>
                    </Form>
                  ) : (
                    m.roles.map((r) => ROLE_LABELS[r]).join(", ")
                  )}
                </TableCell>
                <TableCell>{m.deactivatedAt ? <Badge>Désactivé</Badge> : <Badge>Actif</Badge>}</TableCell>
                {canManage && (
                  <TableCell>
                    {m.userId !== me && (
                      <IntentForm
                        intent={m.deactivatedAt ? "reactivate" : "deactivate"}
                        fields={{ membershipId: m.id }}
                        label={m.deactivatedAt ? "Réactiver" : "Désactiver"}
                        variant={m.deactivatedAt ? "outline" : "destructive"}
                        confirm={
                          m.deactivatedAt
                            ? undefined
                            : `Désactiver ${m.name} ? Ses sessions seront fermées immédiatement.`
                        }
                      />
                    )}
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>

      {canInvite && (
        <section aria-labelledby="invitations">
          <h2 id="invitations" className="mb-2 text-lg font-semibold">
            Invitations en attente ({invitations.length})
          </h2>
          {invitations.length === 0 ? (
            <p className="text-sm text-muted-foreground">Aucune invitation en attente.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>E-mail</TableHead>
                  <TableHead>Rôles</TableHead>
                  <TableHead>Expire le</TableHead>
                  <TableHead>Action</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {invitations.map((i) => (
                  <TableRow key={i.id}>
                    <TableCell>{i.email}</TableCell>
                    <TableCell>{i.roles.map((r) => ROLE_LABELS[r]).join(", ")}</TableCell>
                    <TableCell>{formatParis(i.expiresAt)}</TableCell>
                    <TableCell>
                      <IntentForm
                        intent="revoke-invitation"
                        fields={{ invitationId: i.id }}
                        label="Annuler"
                        confirm={`Annuler l'invitation de ${i.email} ? Son lien ne fonctionnera plus.`}
                      />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </section>
      )}
    </div>
  );
}
