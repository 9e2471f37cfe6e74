import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { NewPasswordFields } from "~/components/new-password-fields";
import { PublicCard } from "~/components/public-card";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useZodForm } from "~/components/use-zod-form";
import { attempt, failed } from "~/lib/action-result";
import { readProtectedForm } from "~/lib/csrf.server";
import { withHttpErrors } from "~/lib/http.server";
import { parseFormData, resetPasswordSchema } from "~/lib/validation";
import { checkResetToken, resetPassword } from "~/models/password-resets.server";

export const meta: MetaFunction = () => [{ title: "Nouveau mot de passe — Portail flux MEL" }];

export const loader = withHttpErrors(async ({ params }: LoaderFunctionArgs) => {
  await checkResetToken(params.token ?? "");
  return null;
});

export const action = ({ request, params }: ActionFunctionArgs) =>
  attempt(async () => {
    const parsed = parseFormData(await readProtectedForm(request), resetPasswordSchema);
    if (!parsed.ok)
      return failed("Le mot de passe n'a pas été changé : corrigez le formulaire.", parsed.errors);
    await resetPassword(params.token ?? "", parsed.data.password);
    return redirect("/connexion?reinitialise=1");
  });

export default function ResetPasswordPage() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { register, onSubmit, errorOf } = useZodForm(resetPasswordSchema, result?.errors);
  return (
    <PublicCard title="Choisir un nouveau mot de passe" description="Vos autres sessions seront fermées.">
      <Form method="post" className="space-y-4" onSubmit={onSubmit} noValidate>
        <CsrfInput />
        {result && !result.ok && <Alert variant="destructive">{result.message}</Alert>}
        <NewPasswordFields label="Nouveau mot de passe" register={register} errorOf={errorOf} />
        <Button type="submit" className="w-full" disabled={navigation.state !== "idle"}>
          Enregistrer
        </Button>
      </Form>
    </PublicCard>
  );
}
