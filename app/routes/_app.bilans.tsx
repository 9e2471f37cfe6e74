import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Field } from "~/components/field";
import { YearFilter } from "~/components/filter-fields";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { contingentSource } from "~/domain/assiette-version";
import { BILAN_STATUS_LABELS, BILAN_STATUSES, type BilanStatus, bilanYearDue } from "~/domain/bilan";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatDay, formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { formatShare } from "~/lib/report-labels";
import { reportYearField } from "~/lib/report-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { versionInForce } from "~/models/assiette.server";
import { acknowledgeBilan, bilanBoard, sendBilan } from "~/models/bilans.server";
import { metropolitanBilanSummary } from "~/models/metropolitan-bilan.server";
import { parseReportFilters } from "~/models/reports.server";

export const meta: MetaFunction = () => [{ title: "Bilans annuels — Portail flux MEL" }];

const yearSchema = z.object({ year: reportYearField });

/** The year shown: `?year=`, else the one whose bilan is due (the previous year). */
function yearOf(request: Request) {
  const params = new URL(request.url).searchParams;
  if (!params.get("year")) params.set("year", String(bilanYearDue(new Date())));
  return parseReportFilters(params, yearSchema).year;
}

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const year = yearOf(request);
  return {
    ...(await bilanBoard(actor, year)),
    // Which réservataires hold a contingent comes from this version of the assiette (DESIGN §3).
    assiette: await versionInForce(year),
    readsMetropolitan: actor.ability.can("read", "MetropolitanBilan"),
    metropolitan: await metropolitanBilanSummary(actor, year),
  };
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("send"), reservataireId: z.uuid(), proposed: z.string().optional() }),
  z.object({ intent: z.literal("acknowledge"), bilanId: z.uuid() }),
]);

export const action = ({ request, context }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const year = yearOf(request);
    const intent = intentSchema.safeParse(Object.fromEntries(await readProtectedForm(request)));
    if (!intent.success) return failed("Action inconnue : rechargez la page.");
    if (intent.data.intent === "send") {
      const { reservataireId, proposed } = intent.data;
      // An empty or non-numeric field reaches the model as such: it answers in French.
      const count = proposed?.trim() ? Number(proposed.trim()) : undefined;
      await sendBilan(actor, { reservataireId, year, proposed: count }, { baseUrl: publicUrl() });
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
  const lastDay = formatDay(board.lastDay);
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
          hors QPV, par quartier prioritaire.
          {board.metropolitan && (
            <>
              {" "}
              Part du 1er quartile dans les attributions hors QPV :{" "}
              {formatShare(board.metropolitan.firstQuartile.share)} (objectif ≥{" "}
              {board.metropolitan.firstQuartile.target * 100} %, loi Égalité et Citoyenneté).
            </>
          )}
        </p>
      )}
      {board.metropolitan && <ByQuartier year={board.year} {...board.metropolitan} />}
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      <BilanSummary rows={board.rows} />
      <section aria-labelledby="tableau" className="space-y-2">
        <h2 id="tableau" className="text-lg font-semibold">
          {board.isBailleur ? "Bilans à transmettre" : "Bilans attendus des bailleurs"}
        </h2>
        {board.rows.length === 0 ? (
          <p>Aucun bilan {board.year} attendu.</p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>{board.isBailleur ? "Réservataire" : "Bailleur"}</TableHead>
                <TableHead>État</TableHead>
                <TableHead className="text-right">Logements proposés</TableHead>
                <TableHead className="text-right">Logements attribués</TableHead>
                <TableHead>Accusé de réception</TableHead>
                <TableHead>Fichiers</TableHead>
                {board.isBailleur && <TableHead>Action</TableHead>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {board.rows.map((row) => (
                <TableRow key={row.counterpart.id}>
                  <TableCell>{row.counterpart.name}</TableCell>
                  <TableCell>
                    <StatusBadge status={row.status} />
                    {row.bilan && (
                      <span className="block text-xs text-muted-foreground">le {date(row.bilan.sentAt)}</span>
                    )}
                  </TableCell>
                  <TableCell className="text-right">{row.bilan?.proposed ?? "—"}</TableCell>
                  <TableCell className="text-right">{row.bilan?.attributed ?? "—"}</TableCell>
                  <TableCell>
                    {row.bilan?.acknowledgedAt ? (
                      date(row.bilan.acknowledgedAt)
                    ) : row.canAcknowledge ? (
                      <IntentForm
                        intent="acknowledge"
                        fields={{ bilanId: row.bilan!.id }}
                        label="Accuser réception"
                        ariaLabel={`Accuser réception du bilan de ${row.counterpart.name}`}
                      />
                    ) : row.bilan ? (
                      "En attente"
                    ) : (
                      "—"
                    )}
                  </TableCell>
                  <TableCell className="space-x-2">
                    {(row.bilan || board.isBailleur) &&
                      (["xlsx", "pdf"] as const).map((format) => (
                        <a
                          key={format}
                          className="underline"
                          href={download(row.bailleur.id, row.reservataire.id, board.year, format)}
                          aria-label={`Bilan ${board.year} ${row.bailleur.name} pour ${row.reservataire.name} (${format.toUpperCase()})`}
                        >
                          {format.toUpperCase()}
                        </a>
                      ))}
                  </TableCell>
                  {board.isBailleur && (
                    <TableCell>
                      {!row.bilan && board.canSend && (
                        <IntentForm
                          intent="send"
                          fields={{ reservataireId: row.reservataire.id }}
                          label="Transmettre"
                          ariaLabel={`Transmettre le bilan à ${row.reservataire.name}`}
                          confirm={`Transmettre le bilan ${board.year} à ${row.reservataire.name} ? Les chiffres seront figés.`}
                        >
                          <Field
                            label="Logements proposés"
                            name="proposed"
                            inputMode="numeric"
                            required
                            className="w-24"
                            aria-label={`Logements proposés à ${row.reservataire.name}`}
                          />
                        </IntentForm>
                      )}
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {board.isBailleur && !board.yearOver && (
          <p className="text-sm text-muted-foreground">
            L'année {board.year} n'est pas terminée : ses bilans se transmettent à partir du 1er janvier{" "}
            {board.year + 1}.
          </p>
        )}
      </section>
    </div>
  );
}

type BoardRow = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number];

const STATUS_VARIANTS: Record<BilanStatus, string> = {
  not_due: "bg-muted text-foreground",
  to_send: "bg-amber-100 text-amber-900",
  late: "bg-red-100 text-red-900",
  sent: "bg-green-100 text-green-900",
  sent_late: "bg-orange-100 text-orange-900",
};

function StatusBadge({ status }: { status: BilanStatus }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_VARIANTS[status]}`}>
      {BILAN_STATUS_LABELS[status]}
    </span>
  );
}

/** Who sent, who is late, who has not: one count per state, in words. */
function BilanSummary({ rows }: { rows: BoardRow[] }) {
  const counts = BILAN_STATUSES.map((status) => ({
    status,
    n: rows.filter((r) => r.status === status).length,
  })).filter((c) => c.n > 0);
  if (counts.length === 0) return null;
  return <p>{counts.map((c) => `${BILAN_STATUS_LABELS[c.status]} : ${c.n}`).join(" · ")}</p>;
}

/** The CIL bilan by quartier prioritaire (decision 0025): the quartiers named from the MEL's referential. */
function ByQuartier({
  year,
  publics,
  byQuartier,
}: {
  year: number;
  publics: string[];
  byQuartier: Array<{ value: string; counts: Array<number | string>; total: number | string }>;
}) {
  return (
    <section aria-labelledby="par-quartier" className="space-y-2">
      <h2 id="par-quartier" className="text-lg font-semibold">
        Bilan métropolitain {year} par quartier prioritaire
      </h2>
      {byQuartier.length === 0 ? (
        <p>Aucune attribution en {year}.</p>
      ) : (
        <div className="overflow-x-auto">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Quartier (commune)</TableHead>
                {publics.map((p) => (
                  <TableHead key={p} className="text-right">
                    {p}
                  </TableHead>
                ))}
                <TableHead className="text-right">Total</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {byQuartier.map((row) => (
                <TableRow key={row.value}>
                  <TableCell>{row.value}</TableCell>
                  {row.counts.map((n, i) => (
                    <TableCell key={publics[i]} className="text-right tabular-nums">
                      {n}
                    </TableCell>
                  ))}
                  <TableCell className="text-right font-medium tabular-nums">{row.total}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <p className="text-sm text-muted-foreground">
        « QPV non renseigné » : logements en QPV enregistrés sans le code de leur quartier. La liste des
        quartiers est tenue par la MEL (Administration › Quartiers prioritaires).
      </p>
    </section>
  );
}
