import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { reachesAll } from "#policies/guard.server";
import { YearFilter } from "~/components/filter-fields";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { contingentSource } from "~/domain/assiette-version";
import { bilanYearDue } from "~/domain/bilan";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatParis } from "~/lib/dates";
import { reportYearField } from "~/lib/report-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { versionInForce } from "~/models/assiette.server";
import { acknowledgeBilan, bilanBoard, sendBilan } from "~/models/bilans.server";
import { parseReportFilters } from "~/models/reports.server";

export const meta: MetaFunction = () => [{ title: "Bilans annuels — Portail flux MEL" }];

const yearSchema = z.object({ year: reportYearField });

/** The year shown: `?year=`, else the one whose bilan is due (the previous year). */
function yearOf(request: Request) {
  const params = new URL(request.url).searchParams;
  if (!params.get("year")) params.set("year", String(bilanYearDue(new Date())));
  return parseReportFilters(params, yearSchema).year;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const year = yearOf(request);
  return {
    ...(await bilanBoard(actor, year)),
    // Which réservataires hold a contingent comes from this version of the assiette (DESIGN §3).
    assiette: await versionInForce(year),
    readsMetropolitan: reachesAll(actor.ability, "read", "IndicatorReport"),
  };
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("send"), reservataireId: z.uuid() }),
  z.object({ intent: z.literal("acknowledge"), bilanId: z.uuid() }),
]);

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const year = yearOf(request);
    const intent = intentSchema.safeParse(Object.fromEntries(await readProtectedForm(request)));
    if (!intent.success) return failed("Action inconnue : rechargez la page.");
    if (intent.data.intent === "send") {
      await sendBilan(actor, { reservataireId: intent.data.reservataireId, year }, { baseUrl: publicUrl() });
      return succeeded(`Bilan ${year} transmis.`);
    }
    await acknowledgeBilan(actor, intent.data.bilanId);
    return succeeded("Accusé de réception enregistré.");
  });

const download = (bailleurId: string, reservataireId: string, year: number, format: "xlsx" | "pdf") =>
  `/bilans/export.${format}?bailleur=${bailleurId}&reservataire=${reservataireId}&year=${year}`;

const date = (value: string | Date | null) => (value ? formatParis(value, "d MMMM yyyy") : "—");

export default function BilansPage() {
  const board = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const lastDay = formatParis(new Date(`${board.lastDay}T12:00:00Z`), "d MMMM yyyy");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Bilans annuels {board.year}</h1>
        <p className="text-sm text-muted-foreground">
          Avant le 28 février, chaque bailleur transmet à chaque réservataire le bilan des logements attribués
          l'année précédente sur son contingent, par typologie, financement, localisation en et hors QPV,
          commune et période de construction (décret du 20 février 2020). Date limite pour {board.year} :{" "}
          {lastDay}.
        </p>
        <p className="text-sm">{contingentSource(board.year, board.assiette)}</p>
      </div>
      <Form method="get" className="flex items-end gap-3" aria-label="Année">
        <YearFilter defaultValue={board.year} label="Année du bilan" />
        <Button type="submit" variant="outline">
          Afficher
        </Button>
      </Form>
      {board.readsMetropolitan && (
        <p>
          <a className="underline" href={`/bilans/metropolitain.xlsx?year=${board.year}`}>
            Bilan métropolitain {board.year} pour la CIL (XLSX)
          </a>{" "}
          : DALO-PDALHPD, MBC, NPRU, autres demandes, par quartile de ressources, bailleur, commune, en et
          hors QPV.
        </p>
      )}
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      {board.isBailleur && (
        <section aria-labelledby="a-transmettre" className="space-y-2">
          <h2 id="a-transmettre" className="text-lg font-semibold">
            Bilans à transmettre
          </h2>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Réservataire</TableHead>
                <TableHead>Transmis le</TableHead>
                <TableHead>Accusé de réception</TableHead>
                <TableHead>Fichiers</TableHead>
                <TableHead>Action</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {board.owed.map(({ reservataire, bilan }) => (
                <TableRow key={reservataire.id}>
                  <TableCell>{reservataire.name}</TableCell>
                  <TableCell>{date(bilan?.sentAt ?? null)}</TableCell>
                  <TableCell>{date(bilan?.acknowledgedAt ?? null)}</TableCell>
                  <TableCell className="space-x-2">
                    <a
                      className="underline"
                      href={download(board.organisationId, reservataire.id, board.year, "xlsx")}
                    >
                      XLSX
                    </a>
                    <a
                      className="underline"
                      href={download(board.organisationId, reservataire.id, board.year, "pdf")}
                    >
                      PDF
                    </a>
                  </TableCell>
                  <TableCell>
                    {!bilan && board.canSend && (
                      <IntentForm
                        intent="send"
                        fields={{ reservataireId: reservataire.id }}
                        label="Transmettre"
                        confirm={`Transmettre le bilan ${board.year} à ${reservataire.name} ? Les chiffres seront figés.`}
                      />
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>
      )}
      {!board.isBailleur && (
        <section aria-labelledby="recus" className="space-y-2">
          <h2 id="recus" className="text-lg font-semibold">
            Bilans reçus
          </h2>
          {board.received.length === 0 ? (
            <p>Aucun bilan {board.year} reçu pour l'instant.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Bailleur</TableHead>
                  <TableHead>Transmis le</TableHead>
                  <TableHead>Fichiers</TableHead>
                  <TableHead>Accusé de réception</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {board.received.map((r) => (
                  <TableRow key={r.bilan.id}>
                    <TableCell>{r.bailleurName}</TableCell>
                    <TableCell>{date(r.bilan.sentAt)}</TableCell>
                    <TableCell className="space-x-2">
                      <a
                        className="underline"
                        href={download(r.bilan.bailleurId, r.bilan.reservataireId, board.year, "xlsx")}
                      >
                        XLSX
                      </a>
                      <a
                        className="underline"
                        href={download(r.bilan.bailleurId, r.bilan.reservataireId, board.year, "pdf")}
                      >
                        PDF
                      </a>
                    </TableCell>
                    <TableCell>
                      {r.bilan.acknowledgedAt ? (
                        date(r.bilan.acknowledgedAt)
                      ) : r.canAcknowledge ? (
                        <IntentForm
                          intent="acknowledge"
                          fields={{ bilanId: r.bilan.id }}
                          label="Accuser réception"
                        />
                      ) : (
                        "En attente"
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </section>
      )}
    </div>
  );
}
