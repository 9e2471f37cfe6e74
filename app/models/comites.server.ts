import { TZDate } from "@date-fns/tz";
import { and, asc, desc, eq, inArray, isNotNull, isNull, or } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import { comiteDocuments, comiteInvitations, comites, organisations } from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import { comiteConvocationMail, comiteReportingMail } from "#emails/templates";
import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn, reachesAll } from "#policies/guard.server";
import { documentTypeError, MAX_DOCUMENT_BYTES } from "~/domain/comite-documents";
import type { Actor } from "~/lib/actor.server";
import { recordAudit, recordAudits } from "~/lib/audit.server";
import { formatDay, PARIS, parisDay } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import type { ComiteInput } from "~/lib/programme-schemas";
import { isUuid } from "~/lib/route-params.server";
import { type ExportTable as Table, toXlsx } from "~/lib/spreadsheet.server";
import { recipients } from "./members.server";
import { metropolitanBilanXlsx } from "./metropolitan-bilan.server";
import { communesReports, consumptionReport, indicatorReport } from "./reports.server";
import { consumptionTable, indicatorsTable } from "./reports-export.server";

const COMITE = "Cette réunion du comité de suivi";

/** The instant of a Paris day and time (the meeting's `heldAt`). */
const parisInstant = (day: string, time: string) => {
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  return new Date(new TZDate(y!, m! - 1, d!, hh!, mm!, PARIS).getTime());
};
const auditOf = (actor: Actor) => ({ userId: actor.user.id, organisationId: actor.organisation.id });

/** The members of the comité: the réservataires and the URH (004 art. 10, l. 392; model art. 5.1, l. 663). */
const MEMBER_KINDS = ["metropole", "etat", "departement", "action_logement", "sicf", "urh"] as const;

async function loadComite(tx: Db, id: string) {
  if (!isUuid(id)) return undefined;
  const [row] = await tx.select().from(comites).where(eq(comites.id, id));
  if (!row) return undefined;
  const invited = await tx
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
    .from(comiteInvitations)
    .innerJoin(organisations, eq(organisations.id, comiteInvitations.organisationId))
    .where(eq(comiteInvitations.comiteId, id))
    .orderBy(asc(organisations.name));
  return { ...row, invited, partyIds: invited.map((o) => o.id), published: row.publishedAt !== null };
}

/** The MEL schedules a meeting: the members are invited, and the bailleurs the agenda concerns (004 l. 394). */
export async function createComite(actor: Actor, input: ComiteInput): Promise<{ id: string }> {
  ensureCan(actor.ability, "create", "Comite");
  return db.transaction(async (tx) => {
    const members = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(inArray(organisations.kind, [...MEMBER_KINDS]));
    const bailleurs = input.bailleurs.length
      ? await tx
          .select({ id: organisations.id, slug: organisations.slug })
          .from(organisations)
          .where(and(eq(organisations.kind, "bailleur"), inArray(organisations.slug, input.bailleurs)))
      : [];
    const unknown = input.bailleurs.filter((s) => !bailleurs.some((b) => b.slug === s));
    if (unknown.length > 0)
      throw new DomainError("invalid", `Bailleur inconnu : ${unknown.join(", ")}.`, {
        bailleurs: "Bailleur inconnu.",
      });
    const [row] = await tx
      .insert(comites)
      .values({
        heldOn: input.heldOn,
        heldAt: input.heldTime ? parisInstant(input.heldOn, input.heldTime) : null,
        place: input.place,
        agenda: input.agenda,
        createdBy: actor.user.id,
      })
      .returning({ id: comites.id });
    await tx
      .insert(comiteInvitations)
      .values([...members, ...bailleurs].map((o) => ({ comiteId: row!.id, organisationId: o.id })));
    await recordAudit(tx, auditOf(actor), {
      action: "comite.create",
      subjectType: "Comite",
      subjectId: row!.id,
      after: input,
    });
    return { id: row!.id };
  });
}

/** The meetings the actor may see (the MEL: all; members and bailleurs: where invited; communes: published). */
export async function listComites(actor: Actor) {
  ensureCan(actor.ability, "read", "Comite");
  const all = reachesAll(actor.ability, "read", "Comite");
  const invitedTo = db
    .select({ id: comiteInvitations.comiteId })
    .from(comiteInvitations)
    .where(eq(comiteInvitations.organisationId, actor.organisation.id));
  const rows = await db
    .select({
      id: comites.id,
      heldOn: comites.heldOn,
      heldAt: comites.heldAt,
      place: comites.place,
      convenedAt: comites.convenedAt,
      publishedAt: comites.publishedAt,
    })
    .from(comites)
    .where(all ? undefined : or(inArray(comites.id, invitedTo), isNotNull(comites.publishedAt)))
    .orderBy(desc(comites.heldOn));
  // The policy decides row by row (a commune sees published reporting only; a bailleur only where invited).
  const readable: typeof rows = [];
  for (const row of rows) {
    const full = await loadComite(db, row.id);
    if (full && actor.ability.can("read", asSubject("Comite", full))) readable.push(row);
  }
  return readable;
}

/**
 * Whether the actor reads the meeting as a member (the MEL, an invited organisation) or as a commune reading the
 * published reporting: a commune only gets the documents meant for communes, whose counts under 5 are masked
 * (DESIGN §3: in files attached to a comité too; issue 15: Roubaix downloaded counts of 1–2 for Lille).
 */
const readsAsMember = (actor: Actor, comite: { partyIds: string[] }) =>
  reachesAll(actor.ability, "read", "Comite") || comite.partyIds.includes(actor.organisation.id);
const audienceFilter = (actor: Actor, comite: { partyIds: string[] }) =>
  readsAsMember(actor, comite) ? undefined : eq(comiteDocuments.audience, "communes");

/** One meeting with its invitations and documents (contents not included). */
export async function getComite(actor: Actor, id: string) {
  const comite = ensureCanOn(actor.ability, "read", "Comite", await loadComite(db, id), COMITE);
  const documents = await db
    .select({
      id: comiteDocuments.id,
      filename: comiteDocuments.filename,
      contentType: comiteDocuments.contentType,
      size: comiteDocuments.size,
      audience: comiteDocuments.audience,
      uploadedAt: comiteDocuments.uploadedAt,
    })
    .from(comiteDocuments)
    .where(and(eq(comiteDocuments.comiteId, comite.id), audienceFilter(actor, comite)))
    .orderBy(asc(comiteDocuments.uploadedAt));
  const { partyIds: _p, createdBy: _c, ...rest } = comite;
  return { ...rest, documents, canManage: actor.ability.can("update", asSubject("Comite", comite)) };
}

async function loadForUpdate(tx: Db, actor: Actor, id: string) {
  return ensureCanOn(actor.ability, "update", "Comite", await loadComite(tx, id), COMITE);
}

/** The MEL sends the convocation with the agenda to every invited organisation (once). */
export async function conveneComite(actor: Actor, id: string, baseUrl: string): Promise<void> {
  await db.transaction(async (tx) => {
    const comite = await loadForUpdate(tx, actor, id);
    const [done] = await tx
      .update(comites)
      .set({ convenedAt: new Date() })
      .where(and(eq(comites.id, comite.id), isNull(comites.convenedAt)))
      .returning({ id: comites.id });
    if (!done) throw new DomainError("conflict", "La convocation est déjà envoyée.");
    const heldOn = formatDay(comite.heldOn);
    for (const to of await recipients(tx, comite.partyIds))
      await enqueueMail(
        tx,
        comiteConvocationMail({
          to,
          heldOn,
          place: comite.place,
          agenda: comite.agenda,
          url: `${baseUrl}/comites/${comite.id}`,
        }),
      );
    await recordAudit(tx, auditOf(actor), {
      action: "comite.convene",
      subjectType: "Comite",
      subjectId: comite.id,
    });
  });
}

/**
 * Attaches documents (each ≤ 20 MB; PDF, XLSX, CSV, ODS or DOCX, checked on its content): 413 or 400 in French
 * otherwise. All or none, in one transaction.
 */
export async function attachDocuments(
  actor: Actor,
  id: string,
  files: File[],
  audience: "members" | "communes" = "members",
): Promise<Array<{ id: string }>> {
  const checked: Array<{ filename: string; contentType: string; content: Uint8Array }> = [];
  for (const file of files) {
    if (file.size > MAX_DOCUMENT_BYTES)
      throw new DomainError(
        "too_large",
        `« ${file.name} » est trop volumineux : 20 Mo au plus. Compressez-le ou découpez-le.`,
      );
    const content = new Uint8Array(await file.arrayBuffer());
    const typeError = documentTypeError(file.name, content);
    if (typeError.error !== null) throw new DomainError("invalid", typeError.error);
    checked.push({ filename: file.name, contentType: typeError.contentType, content });
  }
  return db.transaction(async (tx) => {
    const comite = await loadForUpdate(tx, actor, id);
    const rows = await tx
      .insert(comiteDocuments)
      .values(
        checked.map((file) => ({
          comiteId: comite.id,
          ...file,
          audience,
          size: file.content.byteLength,
          uploadedBy: actor.user.id,
        })),
      )
      .returning({ id: comiteDocuments.id, filename: comiteDocuments.filename, size: comiteDocuments.size });
    await recordAudits(
      tx,
      auditOf(actor),
      rows.map((row) => ({
        action: "comite.document",
        subjectType: "Comite",
        subjectId: comite.id,
        after: { documentId: row.id, filename: row.filename, size: row.size },
      })),
    );
    return rows.map((row) => ({ id: row.id }));
  });
}

/**
 * Attaches the consumption and indicator reports and the metropolitan bilan of `year` (chosen: a meeting early in
 * 2027 discusses 2026), as the MEL sees them now, frozen as XLSX files named after the day (004 art. 10: the comité
 * follows the consumption of the contingents). Each goes twice: the members' version, and the communes' version with
 * counts under 5 masked, the only one a commune downloads once the reporting is published.
 */
export async function attachFrozenReports(
  actor: Actor,
  id: string,
  year: number,
  now = new Date(),
): Promise<void> {
  // Asked before the reports are built: whoever may not attach to this meeting gets its refusal, not a report's.
  await loadForUpdate(db, actor, id);
  const day = parisDay(now);
  const [consumption, indicators, published] = await Promise.all([
    consumptionReport(actor, year, now),
    indicatorReport(actor, { year, qpv: undefined }),
    communesReports(actor, year, now),
  ]);
  const file = (content: Uint8Array | Buffer, name: string) =>
    new File([new Uint8Array(content)], `${name}-${year}-fige-le-${day}.xlsx`);
  const xlsx = async (table: Table, name: string) => file(await toXlsx(table, `${name} ${year}`), name);
  await attachDocuments(actor, id, [
    await xlsx(consumptionTable(consumption), "consommation"),
    await xlsx(indicatorsTable(indicators), "indicateurs"),
    file(await metropolitanBilanXlsx(actor, year, { mask: false }), "bilan-metropolitain"),
  ]);
  await attachDocuments(
    actor,
    id,
    [
      await xlsx(consumptionTable(published.consumption), "consommation-communes"),
      await xlsx(indicatorsTable(published.indicators), "indicateurs-communes"),
      file(await metropolitanBilanXlsx(actor, year, { mask: true }), "bilan-metropolitain-communes"),
    ],
    "communes",
  );
}

export async function readDocument(actor: Actor, comiteId: string, documentId: string) {
  const comite = ensureCanOn(actor.ability, "read", "Comite", await loadComite(db, comiteId), COMITE);
  if (!isUuid(documentId)) throw new DomainError("not_found", "Ce document est introuvable.");
  const [row] = await db
    .select()
    .from(comiteDocuments)
    .where(
      and(
        eq(comiteDocuments.id, documentId),
        eq(comiteDocuments.comiteId, comite.id),
        audienceFilter(actor, comite),
      ),
    );
  if (!row) throw new DomainError("not_found", "Ce document est introuvable.");
  return row;
}

/** The MEL records the minutes and decisions (may be corrected until the reporting is published). */
export async function recordMinutes(actor: Actor, id: string, input: { minutes: string; decisions: string }) {
  await db.transaction(async (tx) => {
    const comite = await loadForUpdate(tx, actor, id);
    if (comite.publishedAt)
      throw new DomainError("conflict", "Le reporting est publié : le compte rendu ne change plus.");
    await tx
      .update(comites)
      .set({ ...input, minutesRecordedAt: new Date() })
      .where(eq(comites.id, comite.id));
    await recordAudit(tx, auditOf(actor), {
      action: "comite.minutes",
      subjectType: "Comite",
      subjectId: comite.id,
      after: input,
    });
  });
}

/** The MEL publishes the reporting to the communes (004 l. 396), once the minutes are recorded. */
export async function publishReporting(actor: Actor, id: string, baseUrl: string) {
  await db.transaction(async (tx) => {
    const comite = await loadForUpdate(tx, actor, id);
    if (!comite.minutesRecordedAt)
      throw new DomainError("conflict", "Consignez d'abord le compte rendu et les décisions.");
    const [done] = await tx
      .update(comites)
      .set({ publishedAt: new Date() })
      .where(and(eq(comites.id, comite.id), isNull(comites.publishedAt)))
      .returning({ id: comites.id });
    if (!done) throw new DomainError("conflict", "Le reporting est déjà publié.");
    const heldOn = formatDay(comite.heldOn);
    const communes = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.kind, "commune"));
    for (const to of await recipients(
      tx,
      communes.map((c) => c.id),
    ))
      await enqueueMail(tx, comiteReportingMail({ to, heldOn, url: `${baseUrl}/comites/${comite.id}` }));
    await recordAudit(tx, auditOf(actor), {
      action: "comite.publish",
      subjectType: "Comite",
      subjectId: comite.id,
    });
  });
}
