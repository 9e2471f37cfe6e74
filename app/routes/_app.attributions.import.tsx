import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useRouteLoaderData } from "@remix-run/react";
import { type FormEvent, useState } from "react";
import { ensureCan } from "#policies/guard.server";
import { CsrfInput } from "~/components/csrf-input";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Label } from "~/components/ui/label";
import { requireActor } from "~/lib/actor.server";
import { ATTRIBUTION_CODES, ATTRIBUTION_COLUMNS, MAX_IMPORT_BYTES } from "~/lib/attribution-schemas";
import { verifyCsrf } from "~/lib/csrf.server";
import { asHttpError, httpError, withHttpErrors } from "~/lib/http.server";
import { importAttributionFile, readLimitedBody } from "~/models/attribution-import.server";
import type { AttributionError, RecordResult } from "~/models/attributions.server";
import type { loader as rootLoader } from "~/root";

export const meta: MetaFunction = () => [{ title: "Importer des attributions — Portail flux MEL" }];

/** What the page shows after an import: the summary, or the refusal with its French list of errors. */
type Outcome =
  | ({ ok: true } & RecordResult)
  | { ok: false; message: string; errors?: AttributionError[]; errorCount?: number };

async function importer(request: Request, context: LoaderFunctionArgs["context"]) {
  const actor = await requireActor(request, context);
  ensureCan(actor.ability, "create", "Attribution", "Seul un bailleur enregistre ses attributions.");
  return actor;
}

export const loader = withHttpErrors(readPage);

async function readPage({ request, context }: LoaderFunctionArgs) {
  await importer(request, context);
  return null;
}

/**
 * Without JavaScript the form posts the file here (multipart); with it, the page sends the file to
 * POST /api/v1/attributions/import to show the upload's progress. Same limit, same model, same answers.
 */
export const action = withHttpErrors(submit);

async function submit({ request, context }: ActionFunctionArgs) {
  const actor = await importer(request, context);
  try {
    const body = await readLimitedBody(request, MAX_IMPORT_BYTES + 64 * 1024);
    const form = await new Request(request.url, { method: "POST", headers: request.headers, body })
      .formData()
      .catch(() => {
        throw httpError(400, "Envoi illisible : choisissez le fichier à nouveau.");
      });
    await verifyCsrf(request, form.get("csrf"));
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0)
      throw httpError(400, "Choisissez un fichier CSV ou XLSX à importer.");
    const result = await importAttributionFile(actor, new Uint8Array(await file.arrayBuffer()));
    return data<Outcome>({ ok: true, ...result });
  } catch (thrown) {
    const error = asHttpError(thrown);
    if (!(error instanceof Response) || error.status === 403) throw error;
    return data<Outcome>({ ok: false, ...(await error.json()) }, { status: error.status });
  }
}

function Summary({ outcome }: { outcome: Outcome }) {
  if (outcome.ok)
    return (
      <Alert variant="success">
        <strong>Import réussi.</strong> {outcome.received} attribution{outcome.received > 1 ? "s" : ""} dans
        le fichier : {outcome.created} nouvelle{outcome.created > 1 ? "s" : ""}, {outcome.alreadyKnown} déjà
        enregistrée{outcome.alreadyKnown > 1 ? "s" : ""} (inchangée{outcome.alreadyKnown > 1 ? "s" : ""}).{" "}
        <Link to="/attributions" className="underline">
          Voir les attributions
        </Link>
      </Alert>
    );
  return (
    <Alert variant="destructive">
      <p>
        <strong>Fichier refusé, rien n'a été importé.</strong> {outcome.message}
      </p>
      {outcome.errors && outcome.errors.length > 0 && (
        <ul className="mt-2 list-disc space-y-1 pl-5">
          {outcome.errors.map((e) => (
            <li key={`${e.index}-${e.field}-${e.line}`}>{e.message}</li>
          ))}
        </ul>
      )}
      {outcome.errorCount !== undefined && outcome.errorCount > (outcome.errors?.length ?? 0) && (
        <p className="mt-2">… et {outcome.errorCount - (outcome.errors?.length ?? 0)} autres erreurs.</p>
      )}
    </Alert>
  );
}

export default function ImportAttributionsPage() {
  const fromServer = useActionData<typeof action>();
  const csrf = useRouteLoaderData<typeof rootLoader>("root")?.csrf ?? "";
  const [progress, setProgress] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const shown = outcome ?? fromServer ?? null;

  // With JavaScript: the file goes to the API with its upload progress (XMLHttpRequest reports it, fetch does not).
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const file = new FormData(event.currentTarget).get("file");
    if (!(file instanceof File)) return;
    event.preventDefault();
    if (file.size === 0) {
      setOutcome({ ok: false, message: "Choisissez un fichier CSV ou XLSX à importer." });
      return;
    }
    setOutcome(null);
    setProgress(0);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/attributions/import");
    xhr.setRequestHeader("x-csrf-token", csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      setProgress(null);
      try {
        const body = JSON.parse(xhr.responseText);
        setOutcome(xhr.status < 300 ? { ok: true, ...body } : { ok: false, ...body });
      } catch {
        setOutcome({ ok: false, message: `Le serveur a répondu ${xhr.status} : réessayez plus tard.` });
      }
    };
    xhr.onerror = () => {
      setProgress(null);
      setOutcome({
        ok: false,
        message: "L'envoi a échoué (connexion interrompue) : rien n'a été importé. Réessayez.",
      });
    };
    xhr.send(file);
  };

  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Importer des attributions</h1>
        <Link to="/attributions" className="underline">
          Retour aux attributions
        </Link>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>1. Partir du modèle</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3 text-sm">
          <div className="flex flex-wrap gap-2">
            <Button asChild variant="outline">
              <a href="/attributions/modele.xlsx">Télécharger le modèle XLSX</a>
            </Button>
            <Button asChild variant="outline">
              <a href="/attributions/modele.csv">Télécharger le modèle CSV</a>
            </Button>
          </div>
          <p>
            Une ligne par bail signé, sous la ligne d'en-têtes :{" "}
            {ATTRIBUTION_COLUMNS.map((c) => c.header).join(", ")}. Les deux colonnes « Quartile de ressources
            » et « Refus après courrier CALEOL » peuvent rester vides. CSV séparé par « ; » ou « , », en UTF-8
            ou Windows-1252 ; ou classeur XLSX (première feuille). {MAX_IMPORT_BYTES / 1024 / 1024} Mo au
            plus.
          </p>
          <details>
            <summary className="cursor-pointer underline">Valeurs acceptées (codes ou libellés)</summary>
            <ul className="mt-2 space-y-1">
              {ATTRIBUTION_CODES.map(({ header, values }) => (
                <li key={header}>
                  <strong>{header}</strong> : {values.map(([code, label]) => `${code} (${label})`).join(", ")}
                </li>
              ))}
              <li>
                <strong>En QPV, PMR, Première mise en location</strong> : oui ou non
              </li>
            </ul>
          </details>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>2. Envoyer le fichier</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          <p className="text-sm text-muted-foreground">
            Tout ou rien : si une ligne est invalide, rien n'est importé et la liste des lignes à corriger
            s'affiche. Réimporter le même fichier ne change rien (une attribution est connue par son numéro
            unique et sa date de bail).
          </p>
          <Form method="post" encType="multipart/form-data" onSubmit={onSubmit} className="space-y-3">
            <CsrfInput />
            <div className="space-y-1.5">
              <Label htmlFor="file">Fichier CSV ou XLSX</Label>
              <input
                id="file"
                name="file"
                type="file"
                required
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                className="block text-sm"
              />
            </div>
            <Button type="submit" disabled={progress !== null}>
              Importer
            </Button>
          </Form>
          {progress !== null && (
            <div className="space-y-1" aria-live="polite">
              <Label htmlFor="upload-progress">
                {progress < 100
                  ? `Envoi du fichier : ${progress} %`
                  : "Fichier reçu, vérification et enregistrement…"}
              </Label>
              <progress id="upload-progress" max={100} value={progress} className="w-full" />
            </div>
          )}
          {shown && <Summary outcome={shown} />}
        </CardContent>
      </Card>
    </div>
  );
}
