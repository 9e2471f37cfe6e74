import { and, asc, count, eq, inArray, isNotNull, isNull, lt } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Db, db } from "#db/client.server";
import { cribAnswers, cribCases, cribReads, cribReminders, cribSessions, organisations } from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import { cribPilotMail, cribPublishedMail, cribReminderMail } from "#emails/templates";
import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn, reachesAll } from "#policies/guard.server";
import {
  awaitedBailleurs,
  CRIB_CASE_STATUS_LABELS,
  type CribCaseStatus,
  cribAnswerErrors,
  cribStatusError,
} from "~/domain/crib";
import type { Typology } from "~/domain/housing";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { recordAudit, recordAudits, SYSTEM_ACTOR } from "~/lib/audit.server";
import { ensureMelCommunes } from "~/lib/communes.server";
import type { CribAnswerInput, CribCaseInput } from "~/lib/crib-schemas";
import { formatDay, parisDay } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import { isUuid } from "~/lib/route-params.server";
import { recipients } from "./members.server";
import { retentionCutoff, retentionMonths } from "./signalements.server";

const SESSION = "Cette session de la CRIB";
const CASE = "Ce cas";
async function loadSession(tx: Db, id: string) {
  if (!isUuid(id)) return undefined;
  const [row] = await tx.select().from(cribSessions).where(eq(cribSessions.id, id));
  return row && { ...row, published: row.publishedAt !== null };
}

/** A session the actor may act on (publish, remind): 404 unless they may read it, 403 unless they may update it. */
async function sessionToUpdate(tx: Db, actor: Actor, id: string) {
  return ensureCanOn(actor.ability, "update", "CribCase", await loadSession(tx, id), SESSION);
}

async function loadCase(tx: Db, id: string, lock = false) {
  if (!isUuid(id)) return undefined;
  const query = tx
    .select({ c: cribCases, publishedAt: cribSessions.publishedAt })
    .from(cribCases)
    .innerJoin(cribSessions, eq(cribSessions.id, cribCases.sessionId))
    .where(eq(cribCases.id, id));
  const [row] = lock ? await query.for("update", { of: cribCases }) : await query;
  return row && { ...row.c, published: row.publishedAt !== null };
}

/** CRIB sessions the actor may see (the MEL: all; URH and bailleurs: published), newest first, with case counts. */
export async function listCribSessions(actor: Actor) {
  ensureCan(actor.ability, "read", "CribCase");
  const all = reachesAll(actor.ability, "read", "CribCase");
  const rows = await db
    .select({
      id: cribSessions.id,
      heldOn: cribSessions.heldOn,
      publishedAt: cribSessions.publishedAt,
      cases: count(cribCases.id),
    })
    .from(cribSessions)
    .leftJoin(cribCases, eq(cribCases.sessionId, cribSessions.id))
    .where(all ? undefined : isNotNull(cribSessions.publishedAt))
    .groupBy(cribSessions.id)
    .orderBy(asc(cribSessions.heldOn));
  return rows.reverse().map((r) => ({ ...r, cases: Number(r.cases) }));
}

export async function createCribSession(actor: Actor, heldOn: string): Promise<{ id: string }> {
  ensureCan(actor.ability, "create", "CribCase");
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: cribSessions.id })
      .from(cribSessions)
      .where(eq(cribSessions.heldOn, heldOn));
    if (existing) throw new DomainError("conflict", "Une session de la CRIB existe déjà à cette date.");
    const [row] = await tx
      .insert(cribSessions)
      .values({ heldOn, createdBy: actor.user.id })
      .returning({ id: cribSessions.id });
    await recordAudit(tx, auditActorOf(actor), {
      action: "crib.session.create",
      subjectType: "CribCase",
      subjectId: row!.id,
      after: { heldOn },
    });
    return { id: row!.id };
  });
}

/** The MEL adds a labelled MBC case the CRIB sent to inter-bailleur. */
export async function addCribCase(
  actor: Actor,
  sessionId: string,
  input: CribCaseInput,
): Promise<{ id: string }> {
  ensureCan(actor.ability, "create", "CribCase");
  return db.transaction(async (tx) => {
    const session = ensureCanOn(actor.ability, "read", "CribCase", await loadSession(tx, sessionId), SESSION);
    const [origin] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.slug, input.originBailleurSlug), eq(organisations.kind, "bailleur")));
    if (!origin)
      throw new DomainError("invalid", `Bailleur inconnu : ${input.originBailleurSlug}.`, {
        originBailleurSlug: "Bailleur inconnu.",
      });
    const [duplicate] = await tx
      .select({ id: cribCases.id })
      .from(cribCases)
      .where(and(eq(cribCases.sessionId, session.id), eq(cribCases.numeroUnique, input.numeroUnique)));
    if (duplicate)
      throw new DomainError("conflict", "Ce numéro unique figure déjà dans la liste de cette session.");
    ensureMelCommunes("communesWanted", "Communes souhaitées", input.communesWanted);
    const [row] = await tx
      .insert(cribCases)
      .values({
        sessionId: session.id,
        numeroUnique: input.numeroUnique,
        originBailleurId: origin.id,
        typology: input.typology,
        communesWanted: input.communesWanted,
      })
      .returning({ id: cribCases.id });
    await recordAudit(tx, auditActorOf(actor), {
      action: "crib.case.create",
      subjectType: "CribCase",
      subjectId: row!.id,
      after: { sessionId: session.id, originBailleurId: origin.id },
    });
    return { id: row!.id };
  });
}

/** The MEL publishes a session's list to the URH and the bailleurs (one mail to each one's gestionnaires). */
export async function publishCribSession(actor: Actor, sessionId: string, baseUrl: string): Promise<void> {
  ensureCan(actor.ability, "create", "CribCase");
  await db.transaction(async (tx) => {
    const session = await sessionToUpdate(tx, actor, sessionId);
    const [published] = await tx
      .update(cribSessions)
      .set({ publishedAt: new Date() })
      .where(and(eq(cribSessions.id, session.id), isNull(cribSessions.publishedAt)))
      .returning({ id: cribSessions.id });
    if (!published) throw new DomainError("conflict", "Cette liste est déjà publiée.");
    const heldOn = formatDay(session.heldOn);
    const readers = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(inArray(organisations.kind, ["urh", "bailleur"]));
    for (const to of await recipients(
      tx,
      readers.map((r) => r.id),
    ))
      await enqueueMail(tx, cribPublishedMail({ to, heldOn, url: `${baseUrl}/crib/${session.id}` }));
    await recordAudit(tx, auditActorOf(actor), {
      action: "crib.session.publish",
      subjectType: "CribCase",
      subjectId: session.id,
    });
  });
}

/**
 * A session's list with the answers the actor may see (URH and MEL: every bailleur's; a bailleur: its own).
 * 404 for a session that is not published, except for the MEL.
 */
export async function getCribSession(
  actor: Actor,
  sessionId: string,
  via: "page" | "api" | "export" = "page",
) {
  const session = ensureCanOn(actor.ability, "read", "CribCase", await loadSession(db, sessionId), SESSION);
  // The list names households (numéro unique): every read is logged.
  await db
    .insert(cribReads)
    .values({ sessionId: session.id, userId: actor.user.id, organisationId: actor.organisation.id, via });
  const origin = alias(organisations, "origin");
  const pilot = alias(organisations, "pilot");
  const cases = await db
    .select({
      id: cribCases.id,
      numeroUnique: cribCases.numeroUnique,
      typology: cribCases.typology,
      communesWanted: cribCases.communesWanted,
      status: cribCases.status,
      notes: cribCases.notes,
      originName: origin.name,
      pilotName: pilot.name,
      pilotSlug: pilot.slug,
    })
    .from(cribCases)
    .innerJoin(origin, eq(origin.id, cribCases.originBailleurId))
    .leftJoin(pilot, eq(pilot.id, cribCases.pilotBailleurId))
    .where(eq(cribCases.sessionId, session.id))
    .orderBy(asc(cribCases.createdAt), asc(cribCases.id));
  const seesAll = reachesAll(actor.ability, "read", "CribAnswer");
  const answers = cases.length
    ? await db
        .select({
          caseId: cribAnswers.caseId,
          bailleurId: cribAnswers.bailleurId,
          bailleurName: organisations.name,
          hasSolution: cribAnswers.hasSolution,
          flatCommune: cribAnswers.flatCommune,
          flatTypology: cribAnswers.flatTypology,
          note: cribAnswers.note,
          answeredAt: cribAnswers.answeredAt,
        })
        .from(cribAnswers)
        .innerJoin(organisations, eq(organisations.id, cribAnswers.bailleurId))
        .where(
          and(
            inArray(
              cribAnswers.caseId,
              cases.map((c) => c.id),
            ),
            seesAll ? undefined : eq(cribAnswers.bailleurId, actor.organisation.id),
          ),
        )
        .orderBy(asc(organisations.name))
    : [];
  const published = { published: session.published };
  const canFollow = actor.ability.can("update", asSubject("CribCase", published));
  return {
    session: { id: session.id, heldOn: session.heldOn, publishedAt: session.publishedAt },
    cases: cases.map((c) => ({
      ...c,
      // Follow-up notes are the MEL's and the URH's working notes, not the bailleurs'.
      notes: canFollow ? c.notes : "",
      answers: answers.filter((a) => a.caseId === c.id).map(({ caseId: _c, bailleurId: _b, ...a }) => a),
    })),
    awaited: seesAll && session.published ? await awaitedOf(db, session.id, cases, answers) : [],
    canManage: actor.ability.can("create", "CribCase"),
    canFollow,
    canAnswer: actor.ability.can(
      "create",
      asSubject("CribAnswer", { organisationId: actor.organisation.id, ...published }),
    ),
  };
}

/** A bailleur answers a case (or changes its answer while the case is open). */
export async function answerCribCase(actor: Actor, caseId: string, input: CribAnswerInput): Promise<void> {
  await db.transaction(async (tx) => {
    const found = ensureCanOn(actor.ability, "read", "CribCase", await loadCase(tx, caseId, true), CASE);
    ensureCanOn(actor.ability, "create", "CribAnswer", {
      organisationId: actor.organisation.id,
      published: found.published,
    });
    if (found.status !== "open")
      throw new DomainError("conflict", "Ce cas n'est plus en cours : la réponse n'est plus attendue.");
    const errors = cribAnswerErrors(input);
    if (errors.length) throw new DomainError("invalid", errors.join(" "), { form: errors[0]! });
    if (input.hasSolution)
      ensureMelCommunes("flatCommune", "Commune du logement proposé", [input.flatCommune]);
    const values = {
      note: input.note ?? "",
      hasSolution: input.hasSolution,
      flatCommune: input.hasSolution ? (input.flatCommune ?? null) : null,
      flatTypology: input.hasSolution ? (input.flatTypology ?? null) : null,
      byUserId: actor.user.id,
      answeredAt: new Date(),
    };
    await tx
      .insert(cribAnswers)
      .values({ caseId: found.id, bailleurId: actor.organisation.id, ...values })
      .onConflictDoUpdate({ target: [cribAnswers.caseId, cribAnswers.bailleurId], set: values });
    await recordAudit(tx, auditActorOf(actor), {
      action: "crib.answer",
      subjectType: "CribAnswer",
      subjectId: found.id,
      after: {
        hasSolution: values.hasSolution,
        note: values.note,
        flatCommune: values.flatCommune,
        flatTypology: values.flatTypology,
      },
    });
  });
}

/** The URH designates the pilot bailleur and/or records the outcome (rehoused, closed) of a case. */
export async function followCribCase(
  actor: Actor,
  caseId: string,
  input: { pilotBailleurSlug?: string; status?: CribCaseStatus; notes?: string },
  baseUrl: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const found = ensureCanOn(actor.ability, "update", "CribCase", await loadCase(tx, caseId, true), CASE);
    const changes: Partial<typeof cribCases.$inferInsert> = {};
    if (input.pilotBailleurSlug) {
      if (found.status !== "open") throw new DomainError("conflict", "Ce cas n'est plus en cours.");
      const [pilot] = await tx
        .select({ id: organisations.id })
        .from(organisations)
        .where(and(eq(organisations.slug, input.pilotBailleurSlug), eq(organisations.kind, "bailleur")));
      if (!pilot)
        throw new DomainError("invalid", `Bailleur inconnu : ${input.pilotBailleurSlug}.`, {
          pilotBailleurSlug: "Bailleur inconnu.",
        });
      changes.pilotBailleurId = pilot.id;
      for (const to of await recipients(tx, [pilot.id]))
        await enqueueMail(tx, cribPilotMail({ to, url: `${baseUrl}/crib/${found.sessionId}` }));
    }
    if (input.status) {
      const refusal = cribStatusError(found.status, input.status);
      if (refusal) throw new DomainError("conflict", refusal);
      changes.status = input.status;
      changes.closedAt = new Date();
    }
    if (input.notes !== undefined && input.notes !== found.notes) changes.notes = input.notes;
    if (Object.keys(changes).length === 0)
      throw new DomainError("invalid", "Indiquez un bailleur pilote, l'issue du cas ou une note.");
    await tx.update(cribCases).set(changes).where(eq(cribCases.id, found.id));
    await recordAudit(tx, auditActorOf(actor), {
      action: "crib.case.follow",
      subjectType: "CribCase",
      subjectId: found.id,
      before: { status: found.status, pilotBailleurId: found.pilotBailleurId },
      after: {
        status: changes.status ?? found.status,
        pilotBailleurId: changes.pilotBailleurId ?? found.pilotBailleurId,
        notesChanged: changes.notes !== undefined,
      },
    });
  });
}

/** The bailleurs that have not answered every open case of a session, with whether they were reminded today. */
async function awaitedOf(
  tx: Db,
  sessionId: string,
  cases: Array<{ id: string; status: CribCaseStatus }>,
  answers: Array<{ caseId: string; bailleurId: string }>,
  now = new Date(),
) {
  const bailleurs = await tx
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.kind, "bailleur"))
    .orderBy(asc(organisations.name));
  const remindedToday = new Set(
    (
      await tx
        .select({ bailleurId: cribReminders.bailleurId })
        .from(cribReminders)
        .where(and(eq(cribReminders.sessionId, sessionId), eq(cribReminders.sentOn, parisDay(now))))
    ).map((r) => r.bailleurId),
  );
  return awaitedBailleurs(cases, bailleurs, answers).map((b) => ({
    ...b,
    remindedToday: remindedToday.has(b.id),
  }));
}

/**
 * The MEL or the URH reminds every bailleur that has not answered all the open cases of a published session: one
 * mail to each one's gestionnaires, at most once a day per bailleur and session (the daily row is the lock).
 */
export async function remindCribBailleurs(
  actor: Actor,
  sessionId: string,
  baseUrl: string,
  now = new Date(),
): Promise<{ reminded: string[] }> {
  return db.transaction(async (tx) => {
    const session = await sessionToUpdate(tx, actor, sessionId);
    if (!session.published)
      throw new DomainError("conflict", "Publiez la liste avant de relancer les bailleurs.");
    const cases = await tx
      .select({ id: cribCases.id, status: cribCases.status })
      .from(cribCases)
      .where(eq(cribCases.sessionId, session.id));
    const answers = cases.length
      ? await tx
          .select({ caseId: cribAnswers.caseId, bailleurId: cribAnswers.bailleurId })
          .from(cribAnswers)
          .where(
            inArray(
              cribAnswers.caseId,
              cases.map((c) => c.id),
            ),
          )
      : [];
    const awaited = await awaitedOf(tx, session.id, cases, answers, now);
    if (awaited.length === 0)
      throw new DomainError("conflict", "Tous les bailleurs ont répondu à chaque cas en cours.");
    const due = awaited.filter((b) => !b.remindedToday);
    const claimed = due.length
      ? await tx
          .insert(cribReminders)
          .values(
            due.map((b) => ({
              sessionId: session.id,
              bailleurId: b.id,
              sentOn: parisDay(now),
              byUserId: actor.user.id,
            })),
          )
          .onConflictDoNothing()
          .returning({ bailleurId: cribReminders.bailleurId })
      : [];
    if (claimed.length === 0)
      throw new DomainError(
        "conflict",
        "Ces bailleurs ont déjà été relancés aujourd'hui : une relance par jour au plus.",
      );
    const heldOn = formatDay(session.heldOn);
    const url = `${baseUrl}/crib/${session.id}`;
    for (const { bailleurId } of claimed) {
      const missing = awaited.find((b) => b.id === bailleurId)!.missing;
      for (const to of await recipients(tx, [bailleurId]))
        await enqueueMail(tx, cribReminderMail({ to, heldOn, missing, url }));
    }
    await recordAudit(tx, auditActorOf(actor), {
      action: "crib.session.remind",
      subjectType: "CribCase",
      subjectId: session.id,
      after: { bailleurIds: claimed.map((c) => c.bailleurId) },
    });
    return { reminded: claimed.map((c) => awaited.find((b) => b.id === c.bailleurId)!.name) };
  });
}

/** One row per case and answer, for the session's export. */
export async function cribExportTable(actor: Actor, sessionId: string) {
  const { session, cases } = await getCribSession(actor, sessionId, "export");
  const header = [
    "Numéro unique",
    "Bailleur d'origine",
    "Typologie souhaitée",
    "Communes souhaitées (INSEE)",
    "Bailleur pilote",
    "Statut",
    "Bailleur ayant répondu",
    "Solution possible",
    "Commune du logement",
    "Typologie du logement",
  ];
  const body = cases.flatMap((c) => {
    const head = [
      c.numeroUnique ?? "(anonymisé)",
      c.originName,
      c.typology,
      c.communesWanted.join(", "),
      c.pilotName ?? "",
      CRIB_CASE_STATUS_LABELS[c.status],
    ];
    return c.answers.length
      ? c.answers.map((a) => [
          ...head,
          a.bailleurName,
          a.hasSolution ? "oui" : "non",
          a.flatCommune ?? "",
          (a.flatTypology as Typology | null) ?? "",
        ])
      : [[...head, "", "", "", ""]];
  });
  return { heldOn: session.heldOn, header, body };
}

/**
 * Clears the numéro unique of CRIB cases rehoused or closed for longer than the retention period (the same
 * `SIGNALEMENT_RETENTION_MONTHS`, 24 by default). Idempotent and safe concurrently (FOR UPDATE SKIP LOCKED).
 */
export async function anonymiseClosedCribCases(
  now = new Date(),
  options: { months?: number } = {},
): Promise<{ anonymised: number }> {
  const cutoff = retentionCutoff(now, options.months ?? retentionMonths());
  return db.transaction(async (tx) => {
    const claimed = await tx
      .select({ id: cribCases.id })
      .from(cribCases)
      .where(and(isNull(cribCases.anonymisedAt), lt(cribCases.closedAt, cutoff)))
      .limit(1000)
      .for("update", { skipLocked: true });
    if (claimed.length === 0) return { anonymised: 0 };
    const updated = await tx
      .update(cribCases)
      .set({ numeroUnique: null, anonymisedAt: now })
      .where(
        and(
          inArray(
            cribCases.id,
            claimed.map((c) => c.id),
          ),
          isNull(cribCases.anonymisedAt),
        ),
      )
      .returning({ id: cribCases.id });
    await recordAudits(
      tx,
      SYSTEM_ACTOR,
      updated.map(({ id }) => ({ action: "crib.case.anonymise", subjectType: "CribCase", subjectId: id })),
    );
    return { anonymised: updated.length };
  });
}
