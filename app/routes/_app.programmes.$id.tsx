import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Label } from "~/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { describeFlat, flatKey, PROGRAMME_STATUS_LABELS } from "~/domain/programme";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatDay, formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { recommendationSchema, splitSchema } from "~/lib/programme-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { fieldErrors } from "~/lib/validation";
import { declareProgramme, getProgramme, recommend, recordSplit } from "~/models/programmes.server";

export const meta: MetaFunction = () => [{ title: "Programme neuf — Portail flux MEL" }];

/** The bailleur's own part, outside every contingent, in the split form. */
const BAILLEUR_PART = "_bailleur";

export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return { programme: await getProgramme(actor, params.id ?? "") };
}

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const formData = await readProtectedForm(request);
    const id = params.id ?? "";
    const intent = formData.get("intent");
    if (intent === "declare") {
      const { lateDeclaration } = await declareProgramme(actor, id, { baseUrl: publicUrl() });
      return succeeded(
        lateDeclaration
          ? "Programme déclaré aux réservataires — moins de 3 mois avant la mise en location : il est signalé."
          : "Programme déclaré aux réservataires.",
      );
    }
    if (intent === "recommend") {
      const parsed = recommendationSchema.safeParse({ text: formData.get("text") });
      if (!parsed.success) return failed("Préconisations non enregistrées.", fieldErrors(parsed.error));
      await recommend(actor, id, parsed.data.text);
      return succeeded("Vos préconisations sont transmises au bailleur.");
    }
    // intent "split": one field per (party, kind of flat), named `alloc|<party>|<typology>|<financing>|<pmr>`.
    const allocations = [...formData.entries()]
      .filter(([name]) => name.startsWith("alloc|"))
      .map(([name, value]) => {
        const [, party, typology, financing, pmr] = name.split("|");
        return {
          reservataire: party === BAILLEUR_PART ? null : party,
          typology,
          financing,
          pmr: pmr === "pmr",
          count: Number(value === "" ? 0 : value),
        };
      });
    const parsed = splitSchema.safeParse({ allocations });
    if (!parsed.success)
      return failed("Répartition non enregistrée : indiquez des nombres entiers positifs ou nuls.");
    await recordSplit(actor, id, parsed.data);
    return succeeded("Répartition arrêtée.");
  });

export default function ProgrammePage() {
  const { programme: p } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const parties = [
    ...p.reservataires.map((r) => ({
      key: r.slug,
      name: `${r.name} (${(r.rateBp / 100).toLocaleString("fr-FR")} %)`,
      id: r.id as string | null,
    })),
    { key: BAILLEUR_PART, name: `${p.bailleurName} (hors contingents)`, id: null },
  ];
  const split = p.finalSplit.length > 0 ? p.finalSplit : p.proposedSplit;
  const countOf = (id: string | null, key: string) =>
    split.filter((a) => a.reservataireId === id && flatKey(a) === key).reduce((s, a) => s + a.count, 0);
  return (
    <div className="space-y-6">
      <Link to="/programmes" className="text-sm underline">
        ← Programmes neufs
      </Link>
      <div>
        <h1 className="text-2xl font-semibold">{p.name}</h1>
        <p className="text-muted-foreground">
          {p.bailleurName} — {p.address}, {p.communeName} — première mise en location le{" "}
          {formatDay(p.firstLettingDate)}
        </p>
        <p className="mt-1 space-x-2">
          <span>{PROGRAMME_STATUS_LABELS[p.status]}</span>
          {p.lateDeclaration && (
            <Badge className="bg-red-100 text-red-900">
              Déclaré moins de 3 mois avant la mise en location
            </Badge>
          )}
        </p>
      </div>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      {p.canUpdate && p.status === "announced" && (
        <IntentForm
          intent="declare"
          fields={{}}
          label="Déclarer aux réservataires"
          variant="default"
          confirm="Déclarer ce programme et transmettre la proposition de répartition aux réservataires ?"
        />
      )}
      <Card>
        <CardHeader>
          <CardTitle>
            {p.finalSplit.length > 0 ? "Répartition arrêtée" : "Proposition de répartition"} (logements par
            réservataire)
          </CardTitle>
        </CardHeader>
        <CardContent>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="split" />
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Logements</TableHead>
                  {parties.map((party) => (
                    <TableHead key={party.key}>{party.name}</TableHead>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {p.flats.map((f) => {
                  const key = flatKey(f);
                  return (
                    <TableRow key={key}>
                      <TableCell>
                        {f.count} × {describeFlat(f)}
                      </TableCell>
                      {parties.map((party) => (
                        <TableCell key={party.key}>
                          {p.canUpdate && p.status !== "announced" ? (
                            <>
                              <Label htmlFor={`${party.key}-${key}`} className="sr-only">
                                {describeFlat(f)} pour {party.name}
                              </Label>
                              <input
                                id={`${party.key}-${key}`}
                                name={`alloc|${party.key}|${f.typology}|${f.financing}|${f.pmr ? "pmr" : "-"}`}
                                type="number"
                                min={0}
                                defaultValue={countOf(party.id, key)}
                                className="h-9 w-20 rounded-md border border-input px-2"
                              />
                            </>
                          ) : (
                            countOf(party.id, key)
                          )}
                        </TableCell>
                      ))}
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
            {p.canUpdate && p.status !== "announced" && (
              <Button className="mt-3" disabled={navigation.state !== "idle"}>
                Arrêter la répartition
              </Button>
            )}
          </Form>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Préconisations des réservataires</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3">
          {p.recommendations.length === 0 && <p className="text-sm">Aucune préconisation.</p>}
          {p.recommendations.map((r) => (
            <div key={r.reservataireId} className="rounded border p-2">
              <p className="text-sm font-medium">
                {r.reservataireName} — {formatParis(r.at)}
              </p>
              <p className="whitespace-pre-wrap text-sm">{r.text}</p>
            </div>
          ))}
          {p.canRecommend && (
            <Form method="post" className="space-y-2">
              <CsrfInput />
              <input type="hidden" name="intent" value="recommend" />
              <Label htmlFor="text">Vos préconisations</Label>
              <textarea
                id="text"
                name="text"
                required
                rows={4}
                className="w-full rounded-md border border-input p-2 text-sm"
              />
              <Button disabled={navigation.state !== "idle"}>Transmettre</Button>
            </Form>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
