import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { PublicCard } from "~/components/public-card";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useZodForm } from "~/components/use-zod-form";
import { failed, succeeded } from "~/lib/action-result";
import { readProtectedForm } from "~/lib/csrf.server";
import { clientIp } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { parseFormData, resetRequestSchema } from "~/lib/validation";
import { requestPasswordReset } from "~/models/password-resets.server";

export const meta: MetaFunction = () => [{ title: "Mot de passe oublié — Portail flux MEL" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseFormData(await readProtectedForm(request), resetRequestSchema);
  if (!parsed.ok) return failed("Corrigez l'adresse e-mail.", parsed.errors);
  await requestPasswordReset(parsed.data.email, publicUrl(), { ip: clientIp(request, context) });
  // The same answer whether the account exists or not.
  return succeeded(
    `Si un compte actif correspond à ${parsed.data.email}, un lien de réinitialisation valable une heure vient d'y être envoyé.`,
  );
}

export default function ForgottenPasswordPage() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { register, onSubmit, errorOf } = useZodForm(resetRequestSchema, result?.errors);
  return (
    <PublicCard title="Mot de passe oublié" description="Indiquez l'adresse e-mail de votre compte.">
      <Form method="post" className="space-y-4" onSubmit={onSubmit} noValidate>
        <CsrfInput />
        {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
        <Field
          label="Adresse e-mail"
          type="email"
          autoComplete="username"
          error={errorOf("email")}
          {...register("email")}
        />
        <Button type="submit" className="w-full" disabled={navigation.state !== "idle"}>
          Recevoir un lien
        </Button>
        <p className="text-center text-sm">
          <Link to="/connexion" className="text-primary underline">
            Retour à la connexion
          </Link>
        </p>
      </Form>
    </PublicCard>
  );
}
