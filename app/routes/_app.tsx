import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Outlet,
  useFetcher,
  useLoaderData,
  useRouteError,
} from "@remix-run/react";
import { useEffect, useMemo } from "react";
import { type AppAbility, abilityFromRules } from "#policies/ability";
import { CsrfInput } from "~/components/csrf-input";
import { ErrorPage, errorMessage } from "~/components/error-page";
import { MainNav } from "~/components/main-nav";
import { Button } from "~/components/ui/button";
import { NativeSelect } from "~/components/ui/native-select";
import { requireActor } from "~/lib/actor.server";
import { withHttpErrors } from "~/lib/http.server";
import { ORGANISATION_KIND_LABELS } from "~/lib/labels";
import { ROLE_LABELS } from "~/lib/validation";
import { activeMembershipsOf } from "~/models/members.server";
import type { loader as rolesLoader } from "./roles-requis";

/**
 * Every page under this layout needs a logged-in member; the ability's rules go to the client, which only hides what
 * the server refuses anyway (the navigation below).
 */
export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return {
    user: actor.user,
    organisation: { ...actor.organisation, kindLabel: ORGANISATION_KIND_LABELS[actor.organisation.kind] },
    roles: actor.roles.map((r) => ROLE_LABELS[r]),
    rules: actor.ability.rules,
    memberships: await activeMembershipsOf(actor),
  };
}

export default function AppLayout() {
  const { user, organisation, roles, rules, memberships } = useLoaderData<typeof loader>();
  const ability = useMemo(() => abilityFromRules(rules as AppAbility["rules"]), [rules]);
  return (
    <>
      <a href="#contenu" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
        Aller au contenu
      </a>
      <header className="border-b border-border bg-primary text-primary-foreground">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <div>
            <p className="font-semibold">Portail flux MEL</p>
            <p className="text-xs opacity-90">
              {organisation.name} ({organisation.kindLabel}) — {user.name} · {roles.join(", ")}
            </p>
          </div>
          <div className="flex items-center gap-2">
            {memberships.length > 1 && (
              <Form method="post" action="/changer-organisation" className="flex items-center gap-2">
                <CsrfInput />
                <label htmlFor="organisationId" className="sr-only">
                  Agir pour
                </label>
                <NativeSelect
                  id="organisationId"
                  name="organisationId"
                  defaultValue={organisation.id}
                  className="text-foreground"
                >
                  {memberships.map((m) => (
                    <option key={m.organisation.id} value={m.organisation.id}>
                      {m.organisation.name}
                    </option>
                  ))}
                </NativeSelect>
                <Button variant="outline" size="sm" className="text-foreground">
                  Changer
                </Button>
              </Form>
            )}
            <Form method="post" action="/deconnexion">
              <CsrfInput />
              <Button variant="outline" size="sm" className="text-foreground">
                Se déconnecter
              </Button>
            </Form>
          </div>
        </div>
        <MainNav ability={ability} organisationId={organisation.id} />
      </header>
      <main id="contenu" className="mx-auto max-w-6xl px-4 py-6">
        <Outlet />
      </main>
    </>
  );
}

/** A page's error; a refusal (403) adds the role it needs and who holds it in the organisation (asked once shown). */
export function ErrorBoundary() {
  const error = useRouteError();
  const required =
    isRouteErrorResponse(error) && error.status === 403
      ? (error.data as { required?: { action: string; subject: string } } | null)?.required
      : undefined;
  const { load, data } = useFetcher<typeof rolesLoader>();
  const href =
    required && `/roles-requis?${new URLSearchParams({ action: required.action, sujet: required.subject })}`;
  useEffect(() => {
    if (href) load(href);
  }, [href, load]);
  return (
    <ErrorPage {...errorMessage(error)}>
      {data?.explanation && <p className="mb-6">{data.explanation}</p>}
    </ErrorPage>
  );
}
