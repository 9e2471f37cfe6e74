import { NavLink, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { AppAbility } from "#policies/ability";
import type { Action, SubjectName } from "#policies/rules";
import { cn } from "~/lib/cn";

type Link = { to: string; label: string; can: [Action, SubjectName] };
type Group = { label: string; links: Link[] };

/**
 * The menus, by task. Each link shows when the policy lets the user read what it opens (the rules sent with the
 * layout): the organisation's kind and the user's role shape the menus without a second list of rules.
 */
const groups = (organisationId: string): Group[] => [
  {
    label: "Cycle annuel",
    links: [
      { to: "/assiette", label: "Assiette", can: ["read", "Assiette"] },
      { to: "/taux-negocies", label: "Taux signés", can: ["read", "NegotiatedRate"] },
      { to: "/conventions", label: "Conventions", can: ["read", "Convention"] },
      { to: "/avenants", label: "Courriers valant avenant", can: ["read", "Avenant"] },
      { to: "/calendrier", label: "Calendrier", can: ["read", "Calendar"] },
    ],
  },
  {
    label: "Signalements et CRIB",
    links: [
      { to: "/signalements", label: "Signalements", can: ["read", "Signalement"] },
      { to: "/crib", label: "Liste de la CRIB", can: ["read", "CribCase"] },
    ],
  },
  {
    label: "Attributions et rapports",
    links: [
      { to: "/attributions", label: "Attributions", can: ["read", "Attribution"] },
      { to: "/consommation", label: "Consommation", can: ["read", "ConsumptionReport"] },
      { to: "/indicateurs", label: "Indicateurs", can: ["read", "IndicatorReport"] },
      { to: "/bilans", label: "Bilans annuels", can: ["read", "Bilan"] },
      { to: "/programmes", label: "Programmes neufs", can: ["read", "Programme"] },
      { to: "/comites", label: "Comité de suivi", can: ["read", "Comite"] },
    ],
  },
  {
    label: "Administration",
    links: [
      { to: "/annuaire", label: "Annuaire", can: ["read", "Organisation"] },
      {
        to: `/organisations/${organisationId}/membres`,
        label: "Mon organisation",
        can: ["read", "Membership"],
      },
      { to: "/journal", label: "Journal", can: ["read", "AuditLog"] },
      { to: "/plateforme/organisations", label: "Plateforme", can: ["create", "Organisation"] },
      { to: "/plateforme/courriels", label: "Courriels", can: ["read", "EmailOutbox"] },
      { to: "/plateforme/quartiers", label: "Quartiers prioritaires", can: ["read", "Qpv"] },
    ],
  },
];

const itemClass = (active: boolean) =>
  cn(
    "inline-flex items-center gap-1 rounded px-3 py-1.5 text-sm hover:bg-white/15 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-white",
    active && "bg-white/20 font-semibold",
  );

export function MainNav({ ability, organisationId }: { ability: AppAbility; organisationId: string }) {
  const visible = groups(organisationId)
    .map((g) => ({ ...g, links: g.links.filter((l) => ability.can(...l.can)) }))
    .filter((g) => g.links.length > 0);
  return (
    <nav aria-label="Navigation principale" className="mx-auto max-w-6xl px-4 pb-2">
      <ul className="flex flex-wrap gap-1">
        <li>
          <NavLink to="/accueil" className={({ isActive }) => itemClass(isActive)}>
            Accueil
          </NavLink>
        </li>
        {visible.map((group) => (
          <li key={group.label}>
            <Menu group={group} />
          </li>
        ))}
        <li>
          <NavLink to="/compte" className={({ isActive }) => itemClass(isActive)}>
            Mon compte
          </NavLink>
        </li>
      </ul>
    </nav>
  );
}

/**
 * One menu: a disclosure (<details>), which works with the keyboard (Enter or Space) and without JavaScript; one
 * open at a time (`name`). With JavaScript, Escape and a click elsewhere close it, and so does following a link.
 */
function Menu({ group }: { group: Group }) {
  const { pathname } = useLocation();
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const closeOutside = (event: PointerEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) ref.current.open = false;
    };
    document.addEventListener("pointerdown", closeOutside);
    return () => document.removeEventListener("pointerdown", closeOutside);
  }, []);
  const active = group.links.some((l) => pathname === l.to || pathname.startsWith(`${l.to}/`));
  return (
    <details
      ref={ref}
      name="menu-principal"
      className="relative"
      onKeyDown={(event) => {
        if (event.key !== "Escape" || !ref.current?.open) return;
        ref.current.open = false;
        ref.current.querySelector("summary")?.focus();
      }}
    >
      <summary
        className={cn(itemClass(active), "cursor-pointer list-none [&::-webkit-details-marker]:hidden")}
      >
        {group.label}
        <span aria-hidden="true">▾</span>
      </summary>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the click is a link's (Enter follows it too); closing is a courtesy. */}
      <ul
        onClick={() => {
          if (ref.current) ref.current.open = false;
        }}
        className="absolute left-0 z-50 mt-1 min-w-56 rounded-md border border-border bg-background p-1 text-foreground shadow-md"
      >
        {group.links.map((l) => (
          <li key={l.to}>
            <NavLink
              to={l.to}
              className={({ isActive }) =>
                cn(
                  "block rounded px-3 py-2 text-sm hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  isActive && "font-semibold",
                )
              }
            >
              {l.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </details>
  );
}
