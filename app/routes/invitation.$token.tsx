import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { NewPasswordFields } from "~/components/new-password-fields";
import { PublicCard } from "~/components/public-card";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useZodForm } from "~/components/use-zod-form";
import { attempt, failed } from "~/lib/action-result";
import { authenticate, requireActor } from "~/lib/actor.server";
import { lucia, serialiseSessionCookie, switchOrganisation } from "~/lib/auth.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { withHttpErrors } from "~/lib/http.server";
import { acceptInvitationSchema, parseFormData, ROLE_LABELS } from "~/lib/validation";
import { acceptInvitation, findUsableInvitation, joinWithInvitation } from "~/models/invitations.server";

export const meta: MetaFunction = () => [{ title: "Invitation — Portail flux MEL" }];

export const loader = withHttpErrors(async ({ request, params, context }: LoaderFunctionArgs) => {
  const { invitation, organisationName, hasAccount } = await findUsableInvitation(params.token ?? "");
  const actor = await authenticate(request, context);
  return {
    email: invitation.email,
    organisationName,
    roles: invitation.roles.map((r) => ROLE_LABELS[r]),
    hasAccount,
    signedInAs: actor?.user.email ?? null,
  };
});

export const action = ({ request, params, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const formData = await readProtectedForm(request);
    if (formData.get("intent") === "join") {
      const actor = await requireActor(request, context);
      const { organisationId } = await joinWithInvitation(params.token ?? "", actor);
      // The session now acts for the organisation just joined.
      await switchOrganisation(actor.sessionId!, actor.user.id, organisationId);
      return redirect("/accueil");
    }
    const parsed = parseFormData(formData, acceptInvitationSchema);
    if (!parsed.ok) return failed("Le compte n'a pas été créé : corrigez le formulaire.", parsed.errors);
    const { userId, organisationId } = await acceptInvitation(params.token ?? "", parsed.data);
    const session = await lucia.createSession(userId, { organisationId });
    return redirect("/accueil", {
      headers: { "Set-Cookie": serialiseSessionCookie(request, lucia.createSessionCookie(session.id)) },
    });
  });

export default function AcceptInvitationPage() {
  const { email, organisationName, roles, hasAccount, signedInAs } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const location = useLocation();
  const { register, onSubmit, errorOf } = useZodForm(acceptInvitationSchema, result?.errors);
  const card = (children: React.ReactNode) => (
    <PublicCard
      title={`Rejoindre ${organisationName}`}
      description={`Invitation pour ${email} — rôle(s) : ${roles.join(", ")}.`}
    >
      {children}
    </PublicCard>
  );
  if (hasAccount && signedInAs === email)
    return card(
      <Form method="post" className="space-y-4">
        <CsrfInput />
        <input type="hidden" name="intent" value="join" />
        {result && !result.ok && <Alert variant="destructive">{result.message}</Alert>}
        <Button type="submit" className="w-full" disabled={navigation.state !== "idle"}>
          Rejoindre {organisationName}
        </Button>
      </Form>,
    );
  if (hasAccount)
    return card(
      <div className="space-y-4">
        <Alert>
          {signedInAs
            ? `Vous êtes connecté en tant que ${signedInAs}, mais cette invitation est adressée à ${email} : déconnectez-vous, puis connectez-vous avec ce compte pour rejoindre ${organisationName}.`
            : `Vous avez déjà un compte : connectez-vous pour rejoindre ${organisationName}.`}
        </Alert>
        {!signedInAs && (
          <Button asChild className="w-full">
            <Link to={`/connexion?redirectTo=${encodeURIComponent(location.pathname)}`}>Se connecter</Link>
          </Button>
        )}
      </div>,
    );
  return card(
    <Form method="post" className="space-y-4" onSubmit={onSubmit} noValidate>
      <CsrfInput />
      {result && !result.ok && <Alert variant="destructive">{result.message}</Alert>}
      <Field label="Prénom et nom" autoComplete="name" error={errorOf("name")} {...register("name")} />
      <NewPasswordFields register={register} errorOf={errorOf} />
      <Button type="submit" className="w-full" disabled={navigation.state !== "idle"}>
        Créer mon compte
      </Button>
    </Form>,
  );
}
