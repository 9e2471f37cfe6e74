import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { type AppAbility, abilityFromRules } from "#policies/ability";
import { CsrfInput } from "~/components/csrf-input";
import { Button } from "~/components/ui/button";
import { requireActor } from "~/lib/actor.server";
import { cn } from "~/lib/cn";
import { ORGANISATION_KIND_LABELS } from "~/lib/labels";
import { ROLE_LABELS } from "~/lib/validation";
import { activeMembershipsOf } from "~/models/members.server";

/**
 * Every page under this layout needs a logged-in member; the ability's rules go to the client, which only hides what
 * the server refuses anyway (the navigation below).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return {
    user: actor.user,
    organisation: { ...actor.organisation, kindLabel: ORGANISATION_KIND_LABELS[actor.organisation.kind] },
    roles: actor.roles.map((r) => ROLE_LABELS[r]),
    rules: actor.ability.rules,
    memberships: await activeMembershipsOf(actor.user.id),
  };
}

export default function AppLayout() {
  const { user, organisation, roles, rules, memberships } = useLoaderData<typeof loader>();
  const ability = useMemo(() => abilityFromRules(rules as AppAbility["rules"]), [rules]);
  const links: Array<{ to: string; label: string; visible: boolean }> = [
    { to: "/accueil", label: "Accueil", visible: true },
    { to: "/annuaire", label: "Annuaire", visible: ability.can("read", "Organisation") },
    {
      to: `/organisations/${organisation.id}/membres`,
      label: "Mon organisation",
      visible: ability.can("read", "Membership"),
    },
    { to: "/assiette", label: "Assiette", visible: ability.can("read", "Assiette") },
    { to: "/taux-negocies", label: "Taux signés", visible: ability.can("read", "NegotiatedRate") },
    { to: "/avenants", label: "Avenants", visible: ability.can("read", "Avenant") },
    { to: "/signalements", label: "Signalements", visible: ability.can("read", "Signalement") },
    { to: "/crib", label: "CRIB", visible: ability.can("read", "CribCase") },
    { to: "/journal", label: "Journal", visible: ability.can("read", "AuditLog") },
    { to: "/plateforme/organisations", label: "Plateforme", visible: ability.can("create", "Organisation") },
    { to: "/plateforme/courriels", label: "Courriels", visible: ability.can("read", "EmailOutbox") },
    { to: "/compte", label: "Mon compte", visible: true },
    { to: "/attributions", label: "Attributions", visible: ability.can("read", "Attribution") },
    { to: "/programmes", label: "Programmes neufs", visible: ability.can("read", "Programme") },
    { to: "/comites", label: "Comité de suivi", visible: ability.can("read", "Comite") },
    { to: "/calendrier", label: "Calendrier", visible: ability.can("read", "Calendar") },
    { to: "/conventions", label: "Conventions", visible: ability.can("read", "Convention") },
    { to: "/consommation", label: "Consommation", visible: ability.can("read", "ConsumptionReport") },
    { to: "/indicateurs", label: "Indicateurs", visible: ability.can("read", "IndicatorReport") },
    { to: "/bilans", label: "Bilans annuels", visible: ability.can("read", "Bilan") },
  ];
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
                <select
                  id="organisationId"
                  name="organisationId"
                  defaultValue={organisation.id}
                  className="h-9 rounded-md border border-input bg-background px-2 text-sm text-foreground"
                >
                  {memberships.map((m) => (
                    <option key={m.organisation.id} value={m.organisation.id}>
                      {m.organisation.name}
                    </option>
                  ))}
                </select>
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
        <nav aria-label="Navigation principale" className="mx-auto max-w-6xl px-4 pb-2">
          <ul className="flex flex-wrap gap-1">
            {links
              .filter((l) => l.visible)
              .map((l) => (
                <li key={l.to}>
                  <NavLink
                    to={l.to}
                    className={({ isActive }) =>
                      cn(
                        "rounded px-3 py-1.5 text-sm hover:bg-white/15",
                        isActive && "bg-white/20 font-semibold",
                      )
                    }
                  >
                    {l.label}
                  </NavLink>
                </li>
              ))}
          </ul>
        </nav>
      </header>
      <main id="contenu" className="mx-auto max-w-6xl px-4 py-6">
        <Outlet />
      </main>
    </>
  );
}
