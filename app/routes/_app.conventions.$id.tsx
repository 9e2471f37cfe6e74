import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { asSubject } from "#policies/ability";
import { ConventionForm } from "~/components/convention-form";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import {
  ANNEX_YEARS,
  annexTotals,
  CONVENTION_STATUS_LABELS,
  MANAGEMENT_LABELS,
  othersPct,
} from "~/domain/convention";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { parseBilateralForm } from "~/lib/convention-schemas";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatRate } from "~/lib/cycle-validation";
import { formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { editConvention, readableConvention, signConvention } from "~/models/conventions.server";

export const meta: MetaFunction = () => [{ title: "Convention — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const { json, subject } = await readableConvention(actor, params.id);
  const mine = json.signatures.find((s) => s.organisation.id === actor.organisation.id);
  return {
    convention: {
      ...json,
      signatures: json.signatures.map((s) => ({
        ...s,
        signedOn: s.signedAt ? formatParis(s.signedAt) : null,
      })),
    },
    canSign: actor.ability.can("create", asSubject("ConventionSignature", subject)) && !mine?.signedAt,
    canEdit:
      json.kind === "bilaterale" &&
      json.status === "draft" &&
      actor.ability.can("update", asSubject("Convention", subject)),
  };
}

const intentSchema = z.object({ intent: z.enum(["sign", "update"]) });

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const formData = await readProtectedForm(request);
    const intent = intentSchema.safeParse({ intent: formData.get("intent") });
    if (!intent.success) return failed("Action inconnue : rechargez la page.");
    if (intent.data.intent === "sign") {
      const signed = await signConvention(actor, params.id, publicUrl());
      return succeeded(
        signed.status === "signed"
          ? "Convention signée par toutes les parties : elle est désormais figée."
          : "Signature enregistrée : les autres parties sont informées.",
      );
    }
    const parsed = parseBilateralForm(formData);
    if (!parsed.ok)
      return failed("La convention n'est pas modifiée : corrigez le formulaire.", parsed.errors);
    await editConvention(actor, params.id, parsed.data);
    return succeeded("Convention modifiée.");
  });

const euros = (n: number) => `${n.toLocaleString("fr-FR")} €`;

export default function ConventionPage() {
  const { convention: c, canSign, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const totals = c.financialAnnex ? annexTotals(c.financialAnnex) : null;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link className="underline" to="/conventions">
          ← Conventions
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">{c.title}</h1>
      <p>
        {CONVENTION_STATUS_LABELS[c.status]}
        {c.signedAt && ` le ${formatParis(c.signedAt)}`} · du 1er janvier {c.startYear} au 31 décembre{" "}
        {c.endYear} ·{" "}
        <a className="underline" href={`/conventions/${c.id}/convention.pdf`}>
          Convention (PDF)
        </a>
      </p>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      <Card>
        <CardHeader>
          <CardTitle>Signatures</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Partie</TableHead>
                <TableHead>Signature</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {c.signatures.map((s) => (
                <TableRow key={s.organisation.id}>
                  <TableCell>{s.organisation.name}</TableCell>
                  <TableCell>{s.signedOn ? `${s.signerName}, le ${s.signedOn}` : "non signée"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {canSign && (
            <IntentForm
              intent="sign"
              fields={{}}
              variant="default"
              label="Signer au nom de mon organisation"
              confirm="Signer cette convention au nom de votre organisation ? Une fois signée par toutes les parties, elle ne change plus que par avenant."
            />
          )}
        </CardContent>
      </Card>
      {c.kind === "part_communale" && (
        <p className="text-sm">
          Part communale : {c.rateBp === null ? "—" : formatRate(c.rateBp)} du flux annuel de{" "}
          {c.bailleur?.name}, prise sur les 20 % de la MEL (convention cadre, l.178).
        </p>
      )}
      {c.kind === "activation_departement" && (
        <p className="text-sm">
          Une fois signé, le contingent du Département est ouvert sur {c.bailleur?.name} à partir du 1er
          janvier {c.startYear} : ses conventions bilatérales signées avec ce bailleur lui donnent des droits
          (convention cadre, l.188–192).
        </p>
      )}
      {c.kind === "bilaterale" && (
        <Card>
          <CardHeader>
            <CardTitle>Termes</CardTitle>
          </CardHeader>
          <CardContent className="space-y-2 text-sm">
            <p>Taux de réservation : {c.rateBp === null ? "—" : formatRate(c.rateBp)} du flux annuel.</p>
            <p>
              Flux d'attributions du bailleur en {c.startYear} :{" "}
              {c.fluxVolume === null ? "non renseigné" : `${c.fluxVolume} attributions`} ; droits au 1er
              janvier {c.startYear} :{" "}
              {c.initialRights === null ? "non renseignés" : `${c.initialRights} attributions`} (art. 2).
            </p>
            {c.management && <p>{MANAGEMENT_LABELS[c.management]}.</p>}
            {c.publics && (
              <p>
                Publics cibles de la CIA : {c.publics.ciaTargetsPct} % (dont DALO-PDALHPD labellisées{" "}
                {c.publics.daloPct} %, mutations bloquées/complexes labellisées {c.publics.mbcPct} %) ; autres
                demandes : {othersPct(c.publics)} %.
              </p>
            )}
            {c.financialAnnex && totals && (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Année</TableHead>
                    <TableHead className="text-right">Conventions échues</TableHead>
                    <TableHead className="text-right">Nouvel encours garanti</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {ANNEX_YEARS.map((year) => {
                    const line = c.financialAnnex!.years.find((y) => y.year === year);
                    return (
                      <TableRow key={year}>
                        <TableCell>{year}</TableCell>
                        <TableCell className="text-right">{euros(line?.expiredEur ?? 0)}</TableCell>
                        <TableCell className="text-right">{euros(line?.newGuaranteedEur ?? 0)}</TableCell>
                      </TableRow>
                    );
                  })}
                  <TableRow>
                    <TableCell className="font-semibold">Total</TableCell>
                    <TableCell className="text-right font-semibold">{euros(totals.expiredEur)}</TableCell>
                    <TableCell className="text-right font-semibold">
                      {euros(totals.newGuaranteedEur)}
                    </TableCell>
                  </TableRow>
                </TableBody>
              </Table>
            )}
            {c.financialAnnex && totals && (
              <p>
                Garantie des prêts : {c.financialAnnex.guaranteeRatePct} %. Subventions PLAI{" "}
                {euros(c.financialAnnex.subsidies.plai.totalEur)} (payé{" "}
                {euros(c.financialAnnex.subsidies.plai.paidEur)}), PLUS{" "}
                {euros(c.financialAnnex.subsidies.plus.totalEur)} (payé{" "}
                {euros(c.financialAnnex.subsidies.plus.paidEur)}) ; total {euros(totals.subsidiesTotalEur)}{" "}
                (payé {euros(totals.subsidiesPaidEur)}).
              </p>
            )}
          </CardContent>
        </Card>
      )}
      {canEdit && c.bailleur && (
        <Card>
          <CardHeader>
            <CardTitle>Modifier le projet</CardTitle>
          </CardHeader>
          <CardContent>
            <ConventionForm
              intent="update"
              terms={{ ...c, bailleurId: c.bailleur.id }}
              bailleurs={null}
              errors={result && !result.ok ? result.errors : {}}
              submitLabel="Enregistrer les modifications"
            />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
