import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { NewPasswordFields } from "~/components/new-password-fields";
import { PublicCard } from "~/components/public-card";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useZodForm } from "~/components/use-zod-form";
import { attempt, failed } from "~/lib/action-result";
import { lucia, serialiseSessionCookie } from "~/lib/auth.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { acceptInvitationSchema, parseFormData, ROLE_LABELS } from "~/lib/validation";
import { acceptInvitation, findUsableInvitation } from "~/models/invitations.server";

export const meta: MetaFunction = () => [{ title: "Invitation — Portail flux MEL" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const { invitation, organisationName } = await findUsableInvitation(params.token ?? "");
  return { email: invitation.email, organisationName, roles: invitation.roles.map((r) => ROLE_LABELS[r]) };
}

export const action = ({ request, params }: ActionFunctionArgs) =>
  attempt(async () => {
    const formData = await readProtectedForm(request);
    const parsed = parseFormData(formData, acceptInvitationSchema);
    if (!parsed.ok) return failed("Le compte n'a pas été créé : corrigez le formulaire.", parsed.errors);
    const { userId, organisationId } = await acceptInvitation(params.token ?? "", parsed.data);
    const session = await lucia.createSession(userId, { organisationId });
    return redirect("/accueil", {
      headers: { "Set-Cookie": serialiseSessionCookie(request, lucia.createSessionCookie(session.id)) },
    });
  });

export default function AcceptInvitationPage() {
  const { email, organisationName, roles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { register, onSubmit, errorOf } = useZodForm(acceptInvitationSchema, result?.errors);
  return (
    <PublicCard
      title={`Rejoindre ${organisationName}`}
      description={`Invitation pour ${email} — rôle(s) : ${roles.join(", ")}.`}
    >
      <Form method="post" className="space-y-4" onSubmit={onSubmit} noValidate>
        <CsrfInput />
        {result && !result.ok && <Alert variant="destructive">{result.message}</Alert>}
        <Field label="Prénom et nom" autoComplete="name" error={errorOf("name")} {...register("name")} />
        <NewPasswordFields register={register} errorOf={errorOf} />
        <Button type="submit" className="w-full" disabled={navigation.state !== "idle"}>
          Créer mon compte
        </Button>
      </Form>
    </PublicCard>
  );
}
