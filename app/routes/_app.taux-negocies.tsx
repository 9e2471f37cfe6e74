import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { CsrfInput } from "~/components/csrf-input";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Input } from "~/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { SICF_BAILLEUR } from "~/domain/rights";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { auditActorOf, requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatRate, rateFormSchema } from "~/lib/cycle-validation";
import { formatParis } from "~/lib/dates";
import { parseFormData } from "~/lib/validation";
import { listBailleurs, listNegotiatedRates, setNegotiatedRate } from "~/models/assiette.server";

export const meta: MetaFunction = () => [{ title: "Taux négociés — Portail flux MEL" }];

/**
 * The rates Action Logement and the SICF negotiated with each bailleur (004 lines 196–204), until the bilateral
 * conventions carry them: their signataire sets them; État, MEL and URH read them all.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "read", "NegotiatedRate");
  const own = { organisationId: actor.organisation.id };
  const rates = (await listNegotiatedRates()).filter((r) =>
    actor.ability.can("read", asSubject("NegotiatedRate", { organisationId: r.reservataireId })),
  );
  const canEdit = actor.ability.can("update", asSubject("NegotiatedRate", own));
  const bailleurs = (await listBailleurs()).filter(
    (b) => actor.organisation.kind !== "sicf" || b.slug === SICF_BAILLEUR,
  );
  const names = new Map(bailleurs.map((b) => [b.id, b.name]));
  const all = await listBailleurs();
  const allNames = new Map(all.map((b) => [b.id, b.name]));
  return {
    canEdit,
    organisationName: actor.organisation.name,
    bailleurs: canEdit
      ? bailleurs.map((b) => ({
          ...b,
          rateBp:
            rates.find((r) => r.bailleurId === b.id && r.reservataireId === actor.organisation.id)?.rateBp ??
            null,
        }))
      : [],
    rates: rates.map((r) => ({
      ...r,
      bailleurName: names.get(r.bailleurId) ?? allNames.get(r.bailleurId) ?? "",
    })),
  };
}

export const action = ({ request, context }: ActionFunctionArgs) => attempt(() => act(request, context));

async function act(request: Request, context: ActionFunctionArgs["context"]) {
  const actor = await requireActor(request, context);
  const formData = await readProtectedForm(request);
  ensureCanOn(actor.ability, "update", "NegotiatedRate", { organisationId: actor.organisation.id });
  const parsed = parseFormData(formData, rateFormSchema);
  if (!parsed.ok) return failed("Le taux n'est pas enregistré : corrigez-le.", parsed.errors);
  await setNegotiatedRate(auditActorOf(actor), {
    reservataireId: actor.organisation.id,
    reservataireKind: actor.organisation.kind,
    bailleurId: parsed.data.bailleurId,
    rateBp: parsed.data.rate,
  });
  return succeeded(`Taux enregistré : ${formatRate(parsed.data.rate)}.`);
}

export default function NegotiatedRatesPage() {
  const { canEdit, organisationName, bailleurs, rates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Taux négociés (Action Logement, SICF)</h1>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      {canEdit && (
        <Card>
          <CardHeader>
            <CardTitle>Taux de {organisationName} par bailleur</CardTitle>
            <CardDescription>
              En % de l'assiette du flux de chaque bailleur : 25 % au plus pour Action Logement (hors
              rétrocession de 1,3 %), 30 % au plus pour la SICF, sur ICF Habitat Nord-Est seulement.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Bailleur</TableHead>
                  <TableHead>Taux actuel</TableHead>
                  <TableHead>Nouveau taux</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {bailleurs.map((b) => (
                  <TableRow key={b.id}>
                    <TableCell>{b.name}</TableCell>
                    <TableCell>{b.rateBp === null ? "—" : formatRate(b.rateBp)}</TableCell>
                    <TableCell>
                      <Form method="post" className="flex items-center gap-2">
                        <CsrfInput />
                        <input type="hidden" name="bailleurId" value={b.id} />
                        <label htmlFor={`rate-${b.id}`} className="sr-only">
                          Taux pour {b.name} (en %)
                        </label>
                        <Input
                          id={`rate-${b.id}`}
                          name="rate"
                          inputMode="decimal"
                          className="w-24"
                          defaultValue={b.rateBp === null ? "" : String(b.rateBp / 100).replace(".", ",")}
                          required
                        />
                        <span aria-hidden>%</span>
                        <Button size="sm" disabled={busy}>
                          Enregistrer
                        </Button>
                      </Form>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Taux enregistrés</CardTitle>
        </CardHeader>
        <CardContent>
          {rates.length === 0 ? (
            <p className="text-sm text-muted-foreground">Aucun taux négocié enregistré.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Réservataire</TableHead>
                  <TableHead>Bailleur</TableHead>
                  <TableHead>Taux</TableHead>
                  <TableHead>Mis à jour</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rates.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell>{r.reservataireName}</TableCell>
                    <TableCell>{r.bailleurName}</TableCell>
                    <TableCell>{formatRate(r.rateBp)}</TableCell>
                    <TableCell>{formatParis(r.updatedAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
