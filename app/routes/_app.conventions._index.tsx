import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { asSubject } from "#policies/ability";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { CONVENTION_PERIOD, CONVENTION_STATUS_LABELS } from "~/domain/convention";
import { attempt, failed } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatRate } from "~/lib/cycle-validation";
import { withHttpErrors } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { createConvention, listConventions } from "~/models/conventions.server";

export const meta: MetaFunction = () => [{ title: "Conventions — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const rows = await listConventions(actor);
  const own = { organisationId: actor.organisation.id, partyIds: [actor.organisation.id], published: false };
  return {
    conventions: rows.map(({ json }) => ({
      id: json.id,
      kind: json.kind,
      title: json.title,
      status: json.status,
      rateBp: json.rateBp,
      period: `${json.startYear}-${json.endYear}`,
      signed: json.signatures.filter((s) => s.signedAt).length,
      parties: json.signatures.length,
      awaitsMe: json.signatures.some((s) => s.organisation.id === actor.organisation.id && !s.signedAt),
    })),
    canDraft: actor.ability.can("create", asSubject("Convention", own)),
    // The MEL drafts the avenants activating the Département and the communes' shares (004 l.178, 188–192).
    canDraftForCadre: actor.ability.can("create", "ConventionCadre"),
    canRecordCadre:
      actor.ability.can("create", "ConventionCadre") &&
      !rows.some((c) => c.json.kind === "cadre" && c.json.startYear === CONVENTION_PERIOD.startYear),
  };
}

/** The MEL records the convention cadre 2024-2026 (004 lines 60–470); its signatories are told. */
export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const formData = await readProtectedForm(request);
    if (formData.get("intent") !== "record-cadre") return failed("Action inconnue : rechargez la page.");
    const created = await createConvention(actor, { kind: "cadre", ...CONVENTION_PERIOD }, publicUrl());
    return redirect(`/conventions/${created.id}`);
  });

export default function Conventions() {
  const { conventions, canDraft, canDraftForCadre, canRecordCadre } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Conventions</h1>
        <div className="flex flex-wrap gap-4 text-sm">
          {canDraft && (
            <Link className="underline" to="/conventions/nouvelle">
              Établir une convention bilatérale
            </Link>
          )}
          {canDraftForCadre && (
            <>
              <Link className="underline" to="/conventions/cadre/part-communale">
                Établir une part communale
              </Link>
              <Link className="underline" to="/conventions/cadre/activation-departement">
                Activer le contingent du Département
              </Link>
            </>
          )}
        </div>
      </div>
      <p className="text-sm text-muted-foreground">
        La convention cadre de gestion en flux des contingents et les conventions bilatérales établies sur son
        modèle. Une convention signée par toutes ses parties ne change plus que par avenant.
      </p>
      {result && !result.ok && <Alert variant="destructive">{result.message}</Alert>}
      {canRecordCadre && (
        <Card>
          <CardHeader>
            <CardTitle>
              Convention cadre {CONVENTION_PERIOD.startYear}-{CONVENTION_PERIOD.endYear}
            </CardTitle>
            <CardDescription>
              Enregistrée par la MEL, signée par l'État, le Département, la MEL, l'URH, Action Logement
              Services et la SICF.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <IntentForm
              intent="record-cadre"
              fields={{}}
              variant="default"
              label="Enregistrer la convention cadre"
              confirm="Enregistrer la convention cadre 2024-2026 ? Ses six signataires seront invités à la signer."
            />
          </CardContent>
        </Card>
      )}
      {conventions.length === 0 ? (
        <p className="text-sm text-muted-foreground">Aucune convention.</p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Convention</TableHead>
              <TableHead>Période</TableHead>
              <TableHead className="text-right">Taux</TableHead>
              <TableHead>Statut</TableHead>
              <TableHead>Signatures</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {conventions.map((c) => (
              <TableRow key={c.id}>
                <TableCell>
                  <Link className="underline" to={`/conventions/${c.id}`}>
                    {c.title}
                  </Link>
                </TableCell>
                <TableCell>{c.period}</TableCell>
                <TableCell className="text-right">{c.rateBp === null ? "—" : formatRate(c.rateBp)}</TableCell>
                <TableCell>
                  {CONVENTION_STATUS_LABELS[c.status]}
                  {c.awaitsMe && <Badge className="ml-2">à signer</Badge>}
                </TableCell>
                <TableCell>
                  {c.signed} / {c.parties}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
