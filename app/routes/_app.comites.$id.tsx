import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/csrf-input";
import { IntentForm } from "~/components/intent-form";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Label } from "~/components/ui/label";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatDay, formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { minutesSchema } from "~/lib/programme-schemas";
import { consumptionFiltersSchema } from "~/lib/report-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { refuseOversizedUpload, uploadedFile } from "~/lib/upload.server";
import { parseFormData } from "~/lib/validation";
import {
  attachDocuments,
  attachFrozenReports,
  conveneComite,
  getComite,
  publishReporting,
  recordMinutes,
} from "~/models/comites.server";
import { parseReportFilters } from "~/models/reports.server";

export const meta: MetaFunction = () => [{ title: "Réunion du comité de suivi — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return { comite: await getComite(actor, params.id ?? "") };
}

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    refuseOversizedUpload(request);
    const formData = await readProtectedForm(request);
    const id = params.id ?? "";
    const intent = formData.get("intent");
    if (intent === "convene") {
      await conveneComite(actor, id, publicUrl());
      return succeeded("Convocation envoyée aux organisations invitées.");
    }
    if (intent === "publish") {
      await publishReporting(actor, id, publicUrl());
      return succeeded("Reporting publié aux communes.");
    }
    if (intent === "document") {
      await attachDocuments(actor, id, [uploadedFile(formData)]);
      return succeeded("Document joint.");
    }
    if (intent === "frozen-reports") {
      const { year } = parseReportFilters(
        new URLSearchParams({ year: String(formData.get("year") ?? "") }),
        consumptionFiltersSchema,
      );
      await attachFrozenReports(actor, id, year);
      return succeeded(
        `Rapports ${year} joints, figés à ce jour : version des membres, et version des communes (effectifs inférieurs à 5 masqués).`,
      );
    }
    const parsed = parseFormData(formData, minutesSchema);
    if (!parsed.ok) return failed("Compte rendu non enregistré.", parsed.errors);
    await recordMinutes(actor, id, parsed.data);
    return succeeded("Compte rendu et décisions enregistrés.");
  });

const textareaClass = "w-full rounded-md border border-input p-2 text-sm";

export default function ComitePage() {
  const { comite: c } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="space-y-6">
      <Link to="/comites" className="text-sm underline">
        ← Comité de suivi
      </Link>
      <h1 className="text-2xl font-semibold">
        Comité du {c.heldAt ? formatParis(c.heldAt, "d MMMM yyyy 'à' HH'h'mm") : formatDay(c.heldOn)}
      </h1>
      <p className="text-muted-foreground">{c.place}</p>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      <Card>
        <CardHeader>
          <CardTitle>Ordre du jour</CardTitle>
        </CardHeader>
        <CardContent className="space-y-2 text-sm">
          <p className="whitespace-pre-wrap">{c.agenda}</p>
          <p>Invités : {c.invited.map((o) => o.name).join(", ")}</p>
          <p>
            {c.convenedAt
              ? `Convocation envoyée le ${formatParis(c.convenedAt)}.`
              : "Convocation pas encore envoyée."}
          </p>
          {c.canManage && !c.convenedAt && (
            <IntentForm
              intent="convene"
              fields={{}}
              label="Envoyer la convocation"
              variant="default"
              confirm="Envoyer la convocation à toutes les organisations invitées ?"
            />
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Documents</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3 text-sm">
          {c.documents.length === 0 && <p>Aucun document.</p>}
          <ul className="list-disc pl-5">
            {c.documents.map((d) => (
              <li key={d.id}>
                <a href={`/comites/${c.id}/documents/${d.id}`} className="underline">
                  {d.filename}
                </a>{" "}
                ({Math.ceil(d.size / 1024)} Ko
                {d.audience === "communes" ? ", diffusé aux communes, effectifs < 5 masqués" : ""})
              </li>
            ))}
          </ul>
          {c.canManage && (
            <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-2">
              <CsrfInput />
              <input type="hidden" name="intent" value="document" />
              <div className="space-y-1.5">
                <Label htmlFor="file">Joindre un document (PDF, XLSX, CSV, ODS, DOCX ; 20 Mo au plus)</Label>
                <input id="file" name="file" type="file" required accept=".pdf,.xlsx,.csv,.ods,.docx" />
              </div>
              <Button variant="outline" disabled={navigation.state !== "idle"}>
                Joindre
              </Button>
            </Form>
          )}
          {c.canManage && (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="frozen-reports" />
              <div className="flex flex-wrap items-end gap-2">
                <div className="space-y-1.5">
                  <Label htmlFor="frozen-year">Année des rapports</Label>
                  <input
                    id="frozen-year"
                    name="year"
                    type="number"
                    min={2015}
                    max={2100}
                    defaultValue={Number(c.heldOn.slice(0, 4)) - 1}
                    className="h-9 w-28 rounded-md border border-input bg-background px-2 text-sm"
                  />
                </div>
                <Button variant="outline" disabled={navigation.state !== "idle"}>
                  Joindre les rapports de cette année (consommation, indicateurs, bilan métropolitain, figés à
                  ce jour)
                </Button>
              </div>
            </Form>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Compte rendu et décisions</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3 text-sm">
          {c.canManage && !c.publishedAt ? (
            <Form method="post" className="space-y-2">
              <CsrfInput />
              <input type="hidden" name="intent" value="minutes" />
              <Label htmlFor="minutes">Compte rendu</Label>
              <textarea
                id="minutes"
                name="minutes"
                required
                rows={6}
                defaultValue={c.minutes ?? ""}
                className={textareaClass}
              />
              <Label htmlFor="decisions">Décisions</Label>
              <textarea
                id="decisions"
                name="decisions"
                required
                rows={4}
                defaultValue={c.decisions ?? ""}
                className={textareaClass}
              />
              <Button disabled={navigation.state !== "idle"}>Enregistrer</Button>
            </Form>
          ) : (
            <>
              <p className="whitespace-pre-wrap">{c.minutes ?? "Pas encore de compte rendu."}</p>
              {c.decisions && <p className="whitespace-pre-wrap">Décisions : {c.decisions}</p>}
            </>
          )}
          <p>
            {c.publishedAt
              ? `Reporting publié aux communes le ${formatParis(c.publishedAt)}.`
              : "Reporting non publié."}
          </p>
          {c.canManage && !c.publishedAt && c.minutesRecordedAt && (
            <IntentForm
              intent="publish"
              fields={{}}
              label="Publier le reporting aux communes"
              variant="default"
              confirm="Publier le compte rendu, les décisions et les documents à toutes les communes ?"
            />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
