import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ensureCan } from "#policies/guard.server";
import { communeList } from "~/components/commune-multi-select";
import { Button } from "~/components/ui/button";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { NativeSelect } from "~/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import {
  ATTRIBUTION_CONTINGENT_LABELS,
  ATTRIBUTION_CONTINGENTS,
  TRANSFER_LABELS,
} from "~/domain/attribution";
import { FINANCING_LABELS, TYPOLOGY_LABELS } from "~/domain/housing";
import { PUBLIC_CATEGORY_LABELS } from "~/domain/signalement";
import { requireActor } from "~/lib/actor.server";
import { attributionFiltersSchema } from "~/lib/attribution-schemas";
import { communeOptions } from "~/lib/communes.server";
import { withHttpErrors } from "~/lib/http.server";
import { listAttributions } from "~/models/attributions.server";
import { bailleurChoices } from "~/models/bailleurs.server";

export const meta: MetaFunction = () => [{ title: "Attributions — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "read", "Attribution");
  const url = new URL(request.url);
  const parsed = attributionFiltersSchema.safeParse(Object.fromEntries(url.searchParams));
  const filters = parsed.success ? parsed.data : {};
  const page = await listAttributions(actor, filters, { via: "page" });
  return {
    kind: actor.organisation.kind,
    filters,
    invalidFilters: !parsed.success,
    ...page,
    bailleurs: actor.organisation.kind === "bailleur" ? [] : await bailleurChoices(actor),
    canCreate: actor.ability.can("create", "Attribution"),
    communes: communeOptions(),
    query: url.search,
  };
}

const yes = (v: boolean) => (v ? "oui" : "non");

export default function AttributionsPage() {
  const { kind, filters, invalidFilters, attributions, nextCursor, bailleurs, canCreate, communes, query } =
    useLoaderData<typeof loader>();
  const first = new URLSearchParams(query);
  first.delete("cursor");
  const next = new URLSearchParams(first);
  if (nextCursor) next.set("cursor", nextCursor);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Attributions</h1>
        {canCreate && (
          <div className="flex gap-2">
            <Button asChild>
              <Link to="/attributions/nouvelle">Enregistrer une attribution</Link>
            </Button>
            <Button asChild variant="outline">
              <Link to="/attributions/import">Importer un fichier</Link>
            </Button>
          </div>
        )}
      </div>
      <p className="text-sm text-muted-foreground">
        {kind === "bailleur"
          ? "Les baux signés par votre organisation et le contingent sur lequel chacun compte."
          : kind === "commune"
            ? "Les attributions de votre territoire sur le contingent de la MEL et sur celui de votre commune."
            : kind === "metropole" || kind === "etat"
              ? "Toutes les attributions du territoire de la MEL."
              : "Les attributions qui comptent sur votre contingent."}{" "}
        Les relogements NPRU, ORCOD, LHI et pour vente et les mutations internes ne consomment pas de droits.
      </p>
      {invalidFilters && <p className="text-sm text-destructive">Filtres invalides : ils ont été ignorés.</p>}
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filtres">
        {filters.reservataire && (
          <p className="w-full text-sm">
            Décomptées sur le contingent de « {filters.reservataire} » (depuis le rapport de consommation).{" "}
            <input type="hidden" name="reservataire" value={filters.reservataire} />
          </p>
        )}
        <div className="space-y-1.5">
          <Label htmlFor="year">Année du bail</Label>
          <Input
            id="year"
            name="year"
            inputMode="numeric"
            className="w-24"
            defaultValue={filters.year ?? ""}
          />
        </div>
        {bailleurs.length > 0 && (
          <div className="space-y-1.5">
            <Label htmlFor="bailleur">Bailleur</Label>
            <NativeSelect id="bailleur" name="bailleur" defaultValue={filters.bailleur ?? ""}>
              <option value="">Tous</option>
              {bailleurs.map((b) => (
                <option key={b.slug} value={b.slug}>
                  {b.name}
                </option>
              ))}
            </NativeSelect>
          </div>
        )}
        <div className="space-y-1.5">
          <Label htmlFor="contingent">Contingent</Label>
          <NativeSelect id="contingent" name="contingent" defaultValue={filters.contingent ?? ""}>
            <option value="">Tous</option>
            {ATTRIBUTION_CONTINGENTS.map((c) => (
              <option key={c} value={c}>
                {ATTRIBUTION_CONTINGENT_LABELS[c]}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="commune">Commune</Label>
          <NativeSelect id="commune" name="commune" defaultValue={filters.commune ?? ""}>
            <option value="">Toutes</option>
            {communes.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="numeroUnique">Numéro unique</Label>
          <Input
            id="numeroUnique"
            name="numeroUnique"
            defaultValue={filters.numeroUnique ?? ""}
            placeholder="059 2401 00123 A"
          />
        </div>
        <Button type="submit" variant="outline">
          Filtrer
        </Button>
      </Form>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Date du bail</TableHead>
            <TableHead>Numéro unique</TableHead>
            {kind !== "bailleur" && <TableHead>Bailleur</TableHead>}
            <TableHead>Commune</TableHead>
            <TableHead>Logement</TableHead>
            <TableHead>Public</TableHead>
            <TableHead>Mutation</TableHead>
            <TableHead>Contingent</TableHead>
            <TableHead>Compte sur les droits</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {attributions.length === 0 && (
            <TableRow>
              <TableCell colSpan={9}>Aucune attribution.</TableCell>
            </TableRow>
          )}
          {attributions.map((a) => (
            <TableRow key={a.id}>
              <TableCell>{a.leaseDate.split("-").reverse().join("/")}</TableCell>
              <TableCell>{a.numeroUnique}</TableCell>
              {kind !== "bailleur" && <TableCell>{a.bailleur.name}</TableCell>}
              <TableCell>{communeList(communes, [a.communeInsee])}</TableCell>
              <TableCell>
                {TYPOLOGY_LABELS[a.typology]}, {FINANCING_LABELS[a.financing]}
                {a.qpv ? `, QPV${a.qpvCode ? ` ${a.qpvCode}` : ""}` : ""}
                {a.pmr ? ", PMR" : ""}
                {a.firstLetting ? ", 1re mise en location" : ""}
              </TableCell>
              <TableCell>{PUBLIC_CATEGORY_LABELS[a.publicCategory]}</TableCell>
              <TableCell>{TRANSFER_LABELS[a.transfer]}</TableCell>
              <TableCell>
                {ATTRIBUTION_CONTINGENT_LABELS[a.contingent]}
                {a.reservataire && a.contingent === "commune" ? ` (${a.reservataire.name})` : ""}
              </TableCell>
              <TableCell>
                {yes(a.countsOnRights)}
                {a.duplicate && (
                  <span className="block text-xs font-medium text-destructive">
                    Doublon : même ménage, même date de bail chez un autre bailleur
                  </span>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {(filters.cursor || nextCursor) && (
        <nav className="flex gap-4" aria-label="Pages">
          {filters.cursor && (
            <Link to={`?${first}`} className="underline">
              Première page
            </Link>
          )}
          {nextCursor && (
            <Link to={`?${next}`} className="underline">
              Page suivante
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
