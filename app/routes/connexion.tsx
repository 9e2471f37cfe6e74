import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { PublicCard } from "~/components/public-card";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useZodForm } from "~/components/use-zod-form";
import { authenticate } from "~/lib/actor.server";
import { LoginError, logIn, lucia, serialiseSessionCookie } from "~/lib/auth.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { clientIp } from "~/lib/http.server";
import { proConnectEnabled } from "~/lib/proconnect.server";
import { safeRedirect } from "~/lib/redirects";
import { loginSchema, parseFormData } from "~/lib/validation";

export const meta: MetaFunction = () => [{ title: "Connexion — Portail flux MEL" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await authenticate(request, context)) throw redirect("/accueil");
  return { proConnect: proConnectEnabled() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readProtectedForm(request);
  const parsed = parseFormData(formData, loginSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, formError: null }, { status: 400 });
  try {
    // A new session id at every login (no fixation).
    const session = await logIn({ ...parsed.data, ip: clientIp(request, context) });
    return redirect(safeRedirect(formData.get("redirectTo")), {
      headers: { "Set-Cookie": serialiseSessionCookie(request, lucia.createSessionCookie(session.id)) },
    });
  } catch (error) {
    if (error instanceof LoginError)
      return data({ errors: {}, formError: error.message }, { status: error.status });
    throw error;
  }
}

export default function LoginPage() {
  const { proConnect } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const navigation = useNavigation();
  const { register, onSubmit, errorOf } = useZodForm(loginSchema, actionData?.errors);
  return (
    <PublicCard
      title="Portail partenaires — gestion en flux"
      description="Contingents de logement social de la Métropole Européenne de Lille"
    >
      <Form method="post" className="space-y-4" onSubmit={onSubmit} noValidate>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        {searchParams.get("reinitialise") && !actionData && (
          <Alert variant="success">Mot de passe changé : connectez-vous avec le nouveau.</Alert>
        )}
        {actionData?.formError && <Alert variant="destructive">{actionData.formError}</Alert>}
        {/* Room kept for the e-mail's message (two lines): shown on blur, it would otherwise push the « Mot de
            passe oublié ? » link down between the press and the release of a click, and the click would be lost. */}
        <div className="min-h-[7.5rem]">
          <Field
            label="Adresse e-mail"
            type="email"
            autoComplete="username"
            autoFocus
            error={errorOf("email")}
            {...register("email")}
          />
        </div>
        <Field
          label="Mot de passe"
          type="password"
          autoComplete="current-password"
          error={errorOf("password")}
          {...register("password")}
        />
        <Button type="submit" className="w-full" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Connexion…" : "Se connecter"}
        </Button>
        <p className="text-center text-sm">
          <Link to="/mot-de-passe-oublie" className="text-primary underline">
            Mot de passe oublié ?
          </Link>
        </p>
      </Form>
      {proConnect && (
        <div className="mt-6 space-y-2 border-t pt-6 text-center">
          <Button asChild variant="outline" className="w-full">
            {/* A document request (no client-side fetch): the answer sends the browser to ProConnect. */}
            <a href={`/connexion/proconnect${redirectTo && `?${new URLSearchParams({ redirectTo })}`}`}>
              S'identifier avec ProConnect
            </a>
          </Button>
          <p className="text-sm">
            <a
              href="https://www.proconnect.gouv.fr/"
              target="_blank"
              rel="noopener noreferrer"
              className="text-primary underline"
            >
              Qu'est-ce que ProConnect ? (nouvelle fenêtre)
            </a>
          </p>
        </div>
      )}
    </PublicCard>
  );
}
