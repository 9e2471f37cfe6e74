import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CommuneMultiSelect, communeList } from "~/components/commune-multi-select";
import { useConfirmSubmit } from "~/components/confirm-dialog";
import { CsrfInput } from "~/components/csrf-input";
import { Field } from "~/components/field";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { NativeSelect } from "~/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { Textarea } from "~/components/ui/textarea";
import { CRIB_CASE_STATUS_LABELS } from "~/domain/crib";
import { TYPOLOGIES, TYPOLOGY_LABELS } from "~/domain/housing";
import { NUMERO_UNIQUE_SHAPE } from "~/domain/signalement";
import { attempt, failed, succeeded } from "~/lib/action-result";
import { requireActor } from "~/lib/actor.server";
import { communeOptions } from "~/lib/communes.server";
import { cribAnswerSchema, cribCaseSchema, cribFollowSchema } from "~/lib/crib-schemas";
import { readProtectedForm } from "~/lib/csrf.server";
import { formatDay, formatParis } from "~/lib/dates";
import { withHttpErrors } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { parseFormData } from "~/lib/validation";
import { bailleurChoices } from "~/models/bailleurs.server";
import {
  addCribCase,
  answerCribCase,
  followCribCase,
  getCribSession,
  publishCribSession,
  remindCribBailleurs,
} from "~/models/crib.server";

export const meta: MetaFunction = () => [{ title: "Session de la CRIB — Portail flux MEL" }];

export const loader = withHttpErrors(readPage);

async function readPage({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const data = await getCribSession(actor, params.id ?? "");
  return {
    ...data,
    bailleurs: data.canManage || data.canFollow ? await bailleurChoices(actor) : [],
    communes: communeOptions(),
  };
}

const intentSchema = z.object({
  intent: z.enum(["add-case", "publish", "answer", "follow", "remind"]),
  caseId: z.string().optional(),
});

export const action = ({ request, context, params }: ActionFunctionArgs) =>
  attempt(async () => {
    const actor = await requireActor(request, context);
    const formData = await readProtectedForm(request);
    const intent = intentSchema.safeParse({
      intent: formData.get("intent"),
      caseId: formData.get("caseId") ?? undefined,
    });
    if (!intent.success) return failed("Action inconnue : rechargez la page.");
    const sessionId = params.id ?? "";
    const caseId = intent.data.caseId ?? "";
    switch (intent.data.intent) {
      case "add-case": {
        const parsed = parseFormData(formData, cribCaseSchema, ["communesWanted"]);
        if (!parsed.ok) return failed("Le cas n'est pas ajouté : corrigez le formulaire.", parsed.errors);
        await addCribCase(actor, sessionId, parsed.data);
        return succeeded("Cas ajouté à la liste.");
      }
      case "publish":
        await publishCribSession(actor, sessionId, publicUrl());
        return succeeded("Liste publiée : l'URH et les bailleurs sont prévenus par courriel.");
      case "answer": {
        const parsed = parseFormData(formData, cribAnswerSchema);
        if (!parsed.ok) return failed("La réponse n'est pas enregistrée.", parsed.errors);
        await answerCribCase(actor, caseId, parsed.data);
        return succeeded("Réponse enregistrée.");
      }
      case "follow": {
        const parsed = parseFormData(formData, cribFollowSchema);
        if (!parsed.ok) return failed("Le suivi n'est pas enregistré.", parsed.errors);
        await followCribCase(actor, caseId, parsed.data, publicUrl());
        return succeeded("Suivi du cas enregistré.");
      }
      case "remind": {
        const { reminded } = await remindCribBailleurs(actor, sessionId, publicUrl());
        return succeeded(`Relance envoyée par courriel à : ${reminded.join(", ")}.`);
      }
    }
  });

export default function CribSessionPage() {
  const { session, cases, awaited, canManage, canFollow, canAnswer, bailleurs, communes } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const { confirmSubmit, dialog } = useConfirmSubmit();
  return (
    <div className="space-y-6">
      {dialog}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">CRIB du {formatDay(session.heldOn)}</h1>
        <div className="flex gap-2">
          <Button asChild variant="outline">
            <a href={`/crib/${session.id}/export.csv`}>Exporter en CSV</a>
          </Button>
          <Button asChild variant="outline">
            <a href={`/crib/${session.id}/export.xlsx`}>Exporter en XLSX</a>
          </Button>
          <Link to="/crib" className="self-center underline">
            Toutes les sessions
          </Link>
        </div>
      </div>
      {result && <Alert variant={result.ok ? "success" : "destructive"}>{result.message}</Alert>}
      <p className="text-sm text-muted-foreground">
        {session.publishedAt
          ? `Liste publiée le ${formatParis(session.publishedAt)} à l'URH et aux bailleurs.`
          : "Liste non publiée : visible de la MEL seule."}
      </p>

      {canManage && (
        <Card>
          <CardHeader>
            <CardTitle>Ajouter un cas</CardTitle>
          </CardHeader>
          <CardContent className="space-y-4">
            <Form method="post" className="grid gap-3 md:grid-cols-4">
              <CsrfInput />
              <input type="hidden" name="intent" value="add-case" />
              <Field label="Numéro unique" name="numeroUnique" required hint={NUMERO_UNIQUE_SHAPE} />
              <div className="space-y-1.5">
                <Label htmlFor="originBailleurSlug">Bailleur d'origine</Label>
                <NativeSelect id="originBailleurSlug" name="originBailleurSlug" required>
                  {bailleurs.map((b) => (
                    <option key={b.slug} value={b.slug}>
                      {b.name}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <div className="space-y-1.5">
                <Label htmlFor="typology">Typologie souhaitée</Label>
                <NativeSelect id="typology" name="typology" required>
                  {TYPOLOGIES.map((t) => (
                    <option key={t} value={t}>
                      {TYPOLOGY_LABELS[t]}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <div className="space-y-1.5">
                <Label htmlFor="communesWanted">Communes souhaitées</Label>
                <CommuneMultiSelect id="communesWanted" name="communesWanted" communes={communes} />
              </div>
              <div>
                <Button size="sm" disabled={busy}>
                  Ajouter
                </Button>
              </div>
            </Form>
            {!session.publishedAt && (
              <Form
                method="post"
                onSubmit={(event) =>
                  confirmSubmit(
                    event,
                    "Publier la liste à l'URH et à tous les bailleurs ? Elle ne peut être retirée.",
                  )
                }
              >
                <CsrfInput />
                <input type="hidden" name="intent" value="publish" />
                <Button disabled={busy || cases.length === 0}>Publier la liste</Button>
              </Form>
            )}
          </CardContent>
        </Card>
      )}

      {session.publishedAt && (canManage || canFollow) && (
        <AwaitedBailleurs awaited={awaited} canRemind={canFollow} busy={busy} />
      )}

      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Numéro unique</TableHead>
            <TableHead>Bailleur d'origine</TableHead>
            <TableHead>Souhait</TableHead>
            <TableHead>Réponses</TableHead>
            <TableHead>Pilote</TableHead>
            <TableHead>Statut</TableHead>
            {(canAnswer || canFollow) && <TableHead>Action</TableHead>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {cases.length === 0 && (
            <TableRow>
              <TableCell colSpan={7}>Aucun cas.</TableCell>
            </TableRow>
          )}
          {cases.map((c) => (
            <TableRow key={c.id}>
              <TableCell>{c.numeroUnique ?? "(anonymisé)"}</TableCell>
              <TableCell>{c.originName}</TableCell>
              <TableCell>
                {TYPOLOGY_LABELS[c.typology]} — {communeList(communes, c.communesWanted)}
              </TableCell>
              <TableCell>
                <ul className="text-xs">
                  {c.answers.map((a) => (
                    <li key={a.bailleurName}>
                      {a.bailleurName} :{" "}
                      {a.hasSolution
                        ? `solution à ${communeList(communes, a.flatCommune ? [a.flatCommune] : [])} (${a.flatTypology})`
                        : "pas de solution"}
                      {a.note && <span className="block text-muted-foreground">Note : {a.note}</span>}
                    </li>
                  ))}
                </ul>
              </TableCell>
              <TableCell>{c.pilotName ?? "—"}</TableCell>
              <TableCell>
                {CRIB_CASE_STATUS_LABELS[c.status]}
                {c.notes && (
                  <p className="mt-1 whitespace-pre-line text-xs text-muted-foreground">{c.notes}</p>
                )}
              </TableCell>
              {(canAnswer || canFollow) && (
                <TableCell className="space-y-2">
                  {canAnswer && c.status === "open" && (
                    <Form method="post" className="flex flex-wrap items-end gap-2">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="answer" />
                      <input type="hidden" name="caseId" value={c.id} />
                      <NativeSelect name="hasSolution" aria-label="Votre réponse" defaultValue="" required>
                        <option value="" disabled>
                          — Votre réponse —
                        </option>
                        <option value="false">Pas de solution</option>
                        <option value="true">Solution possible</option>
                      </NativeSelect>
                      <div className="w-56">
                        <CommuneMultiSelect
                          id={`flatCommune-${c.id}`}
                          name="flatCommune"
                          communes={communes}
                          single
                        />
                      </div>
                      <NativeSelect name="flatTypology" aria-label="Typologie du logement">
                        <option value="">—</option>
                        {TYPOLOGIES.map((t) => (
                          <option key={t} value={t}>
                            {t}
                          </option>
                        ))}
                      </NativeSelect>
                      <Input
                        name="note"
                        aria-label="Note (facultative)"
                        placeholder="Note (facultative)"
                        maxLength={2000}
                        className="h-9 w-56"
                      />
                      <Button size="sm" disabled={busy}>
                        Répondre
                      </Button>
                    </Form>
                  )}
                  {canFollow && c.status === "open" && (
                    <Form
                      method="post"
                      className="flex flex-wrap items-end gap-2"
                      onSubmit={(event) =>
                        confirmSubmit(
                          event,
                          new FormData(event.currentTarget).get("status")
                            ? "Terminer le suivi de ce cas ?"
                            : undefined,
                        )
                      }
                    >
                      <CsrfInput />
                      <input type="hidden" name="intent" value="follow" />
                      <input type="hidden" name="caseId" value={c.id} />
                      <NativeSelect name="pilotBailleurSlug" aria-label="Bailleur pilote" defaultValue="">
                        <option value="">Pilote inchangé</option>
                        {bailleurs.map((b) => (
                          <option key={b.slug} value={b.slug}>
                            {b.name}
                          </option>
                        ))}
                      </NativeSelect>
                      <NativeSelect name="status" aria-label="Issue">
                        <option value="">En cours</option>
                        <option value="rehoused">Relogé</option>
                        <option value="closed">Clos sans relogement</option>
                      </NativeSelect>
                      <Textarea
                        name="notes"
                        aria-label="Notes de suivi"
                        defaultValue={c.notes}
                        maxLength={2000}
                        rows={2}
                        className="w-64"
                      />
                      <Button size="sm" variant="outline" disabled={busy}>
                        Enregistrer
                      </Button>
                    </Form>
                  )}
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

type Awaited = ReturnType<typeof useLoaderData<typeof loader>>["awaited"];

/** The bailleurs that have not answered every open case, and the daily reminder (MEL and URH). */
function AwaitedBailleurs({
  awaited,
  canRemind,
  busy,
}: {
  awaited: Awaited;
  canRemind: boolean;
  busy: boolean;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Bailleurs sans réponse</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        {awaited.length === 0 ? (
          <p>Tous les bailleurs ont répondu à chaque cas en cours.</p>
        ) : (
          <ul className="list-disc pl-5">
            {awaited.map((b) => (
              <li key={b.id}>
                {b.name} : {b.missing === 1 ? "1 cas sans réponse" : `${b.missing} cas sans réponse`}
                {b.remindedToday && " (relancé aujourd'hui)"}
              </li>
            ))}
          </ul>
        )}
        {canRemind && awaited.some((b) => !b.remindedToday) && (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="remind" />
            <Button size="sm" variant="outline" disabled={busy}>
              Relancer les bailleurs sans réponse
            </Button>
          </Form>
        )}
      </CardContent>
    </Card>
  );
}
