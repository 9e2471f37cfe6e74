import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import type { OrganisationKind } from "#db/schema";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { requireActor } from "~/lib/actor.server";
import { formatParis } from "~/lib/dates";
import { calendarOf } from "~/models/calendar.server";
import type { loader as appLoader } from "./_app";

export const meta: MetaFunction = () => [{ title: "Accueil — Portail flux MEL" }];

/** The organisation's late obligations (calendar), flagged first. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  if (!actor.ability.can("read", "Calendar")) return { late: [] };
  const items = await calendarOf(actor);
  return {
    late: items
      .filter((i) => i.status === "late")
      .map((i) => ({
        key: i.key,
        subject: i.subject,
        url: i.url,
        lastDay: new Date(i.dueAt.getTime() - 1).toISOString(),
      })),
  };
}

type Module = { title: string; description: string; kinds: OrganisationKind[] | "all"; to?: string };

/** The modules to come, each shown to the kinds of organisation it serves (DESIGN §1, §4). */
const MODULES: Module[] = [
  {
    title: "Conventions",
    description: "Convention cadre 2024‑2026 et conventions bilatérales : rédaction, signatures, PDF.",
    kinds: ["metropole", "etat", "departement", "urh", "action_logement", "sicf", "bailleur"],
  },
  {
    title: "Courriers valant avenant",
    description:
      "Courriers valant avenant : droits de l'année, acceptation ou contestation, acceptation tacite à deux mois.",
    kinds: ["metropole", "etat", "departement", "action_logement", "sicf", "bailleur"],
    to: "/avenants",
  },
  {
    title: "Assiette du flux",
    description:
      "Prévisions des bailleurs (colonnes A à G), assiette publiée par l'État, droits de chaque réservataire.",
    kinds: ["metropole", "etat", "urh", "action_logement", "sicf", "bailleur", "departement"],
    to: "/assiette",
  },
  {
    title: "Signalements",
    description: "Les communes signalent les ménages prioritaires aux bailleurs et suivent les réponses.",
    // The URH joins with the CRIB list (inter-bailleur cases), not the communes' signalements (personal data).
    kinds: ["commune", "bailleur", "metropole"],
    to: "/signalements",
  },
  {
    title: "Liste de la CRIB",
    description:
      "Mutations bloquées ou complexes envoyées en inter-bailleurs : réponses des bailleurs, bailleur pilote, suivi par l'URH.",
    kinds: ["metropole", "urh", "bailleur"],
    to: "/crib",
  },
  {
    title: "Attributions et consommation des droits",
    description: "Baux signés, contingent imputé, droits restants et indicateurs de l'article 11.",
    kinds: "all",
  },
  {
    title: "Programmes neufs et comité de suivi",
    description: "Premières mises en service, comité de suivi des contingents, calendrier des obligations.",
    kinds: "all",
    to: "/calendrier",
  },
];

export default function HomePage() {
  const data = useRouteLoaderData<typeof appLoader>("routes/_app");
  const { late } = useLoaderData<typeof loader>();
  if (!data) return null;
  const modules = MODULES.filter((m) => m.kinds === "all" || m.kinds.includes(data.organisation.kind));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Bonjour {data.user.name}</h1>
        <p className="text-muted-foreground">
          Vous agissez pour <strong>{data.organisation.name}</strong> ({data.organisation.kindLabel}).
        </p>
      </div>
      {late.length > 0 && (
        <Alert variant="destructive">
          <p className="font-semibold">Obligations en retard ({late.length})</p>
          <ul className="mt-1 list-disc pl-5">
            {late.map((item) => (
              <li key={item.key}>
                <Link to={item.url} className="underline">
                  {item.subject}
                </Link>{" "}
                — échéance du {formatParis(item.lastDay, "d MMMM yyyy")}
              </li>
            ))}
          </ul>
          <Link to="/calendrier" className="mt-1 inline-block underline">
            Voir le calendrier
          </Link>
        </Alert>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        {modules.map((m) => (
          <Card key={m.title}>
            <CardHeader>
              <CardTitle>{m.title}</CardTitle>
              <CardDescription>{m.description}</CardDescription>
            </CardHeader>
            <CardContent>
              {m.to ? (
                <Link to={m.to} className="font-medium underline">
                  Ouvrir
                </Link>
              ) : (
                <Badge>Bientôt disponible</Badge>
              )}
            </CardContent>
          </Card>
        ))}
      </div>
    </div>
  );
}
