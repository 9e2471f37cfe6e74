import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import { type AvenantStatus, avenants, organisations, type Role } from "#db/schema";
import { enqueueMails, type MailToMany } from "#emails/outbox.server";
import {
  type AvenantMailInput,
  avenantOutcomeMail,
  avenantReminderMail,
  avenantSentMail,
  type Mail,
} from "#emails/templates";
import { type AvenantEvent, nextStatus, refusal } from "~/domain/avenant-status";
import { avenantDeadline } from "~/domain/deadline";
import { avenantRateError, type ReservataireKind, reservataireRateBp, rightsFor } from "~/domain/rights";
import { type AuditActor, recordAudit, recordAudits, SYSTEM_ACTOR } from "~/lib/audit.server";
import { formatRate } from "~/lib/cycle-validation";
import { formatParis } from "~/lib/dates";
import { httpError } from "~/lib/http.server";
import { publicUrl } from "~/lib/route-params.server";
import { annexRows, memberEmails, publicationOf, RESERVATAIRE_KINDS } from "./assiette.server";

/**
 * Courriers valant avenant (004 line 154; model convention art. 2, line 593): generated from the published
 * assiette, sent by the réservataire's signataire, accepted or contested by the bailleur's signataire before the end
 * of the two-month period (app/domain/deadline.ts), otherwise tacitly accepted by the job below.
 */

type AvenantRow = typeof avenants.$inferSelect;

/** The policy's view of an avenant: the réservataire owns it, both organisations are party to it. */
export const avenantSubject = (row: Pick<AvenantRow, "reservataireId" | "bailleurId">) => ({
  organisationId: row.reservataireId,
  bailleurId: row.bailleurId,
  partyIds: [row.reservataireId, row.bailleurId],
});

const lastDayLabels = new Map<string, string>();

/** "12 mai 2026" from a Paris calendar day "2026-05-12" (remembered: a job pass formats the same days many times). */
export function formatLastDay(lastDay: string): string {
  let label = lastDayLabels.get(lastDay);
  if (label === undefined) {
    label = formatParis(new Date(`${lastDay}T12:00:00Z`), "d MMMM yyyy");
    if (lastDayLabels.size < 10_000) lastDayLabels.set(lastDay, label);
  }
  return label;
}

export async function getAvenant(id: string) {
  const [row] = await db.select().from(avenants).where(eq(avenants.id, id));
  return row ?? null;
}

/** The avenants of a year the actor's organisation is party to (or of every organisation, for `all`). */
export async function listAvenants(organisationId: string, year?: number) {
  const reservataire = sql<string>`(select name from organisations where id = ${avenants.reservataireId})`;
  const bailleur = sql<string>`(select name from organisations where id = ${avenants.bailleurId})`;
  return db
    .select({ avenant: avenants, reservataireName: reservataire, bailleurName: bailleur })
    .from(avenants)
    .where(
      and(
        or(eq(avenants.reservataireId, organisationId), eq(avenants.bailleurId, organisationId)),
        year === undefined ? undefined : eq(avenants.year, year),
      ),
    )
    .orderBy(asc(avenants.year), asc(avenants.createdAt));
}

/** The JSON form of an avenant (API and pages). */
export function avenantJson(row: AvenantRow, names: { reservataireName: string; bailleurName: string }) {
  return {
    id: row.id,
    year: row.year,
    reservataire: { id: row.reservataireId, name: names.reservataireName },
    bailleur: { id: row.bailleurId, name: names.bailleurName },
    status: row.status,
    rateBp: row.rateBp,
    fluxH: row.fluxH,
    rights: rightsFor(row.fluxH, row.rateBp),
    sentAt: row.sentAt,
    deadline:
      row.deadlineEndsAt && row.deadlineLastDay
        ? { lastDay: row.deadlineLastDay, endsAt: row.deadlineEndsAt }
        : null,
    answeredAt: row.answeredAt,
    contestReason: row.contestReason,
    version: row.version,
  };
}

async function namesOf(tx: Db, ids: string[]) {
  const rows = await tx
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(inArray(organisations.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Drafts the year's letters of one réservataire for every bailleur on which its rate is above 0, from the published
 * assiette. Idempotent: a letter that already exists for the pair and year is left as it is.
 */
export async function generateAvenants(
  actor: AuditActor,
  input: { reservataireId: string; reservataireKind: string; year: number },
) {
  if (!(RESERVATAIRE_KINDS as readonly string[]).includes(input.reservataireKind))
    throw httpError(403, "Seul un réservataire prépare des courriers valant avenant.");
  const kind = input.reservataireKind as ReservataireKind;
  return db.transaction(async (tx) => {
    if (!(await publicationOf(input.year, tx)))
      throw httpError(
        409,
        `L'assiette ${input.year} n'est pas encore publiée par l'État : les courriers ne peuvent pas être préparés.`,
      );
    const rows = await annexRows(input.year, tx);
    const drafts = rows
      .filter((r) => r.forecast !== null)
      .map((r) => ({ row: r, rateBp: reservataireRateBp(kind, r.rates) }))
      .filter((d) => d.rateBp > 0)
      .map((d) => ({
        reservataireId: input.reservataireId,
        bailleurId: d.row.bailleur.id,
        year: input.year,
        rateBp: d.rateBp,
        fluxH: d.row.forecast!.h,
        rights: rightsFor(d.row.forecast!.h, d.rateBp).rounded,
      }));
    const created =
      drafts.length === 0
        ? []
        : await tx
            .insert(avenants)
            .values(drafts)
            .onConflictDoNothing({ target: [avenants.reservataireId, avenants.bailleurId, avenants.year] })
            .returning();
    await recordAudits(
      tx,
      actor,
      created.map((a) => ({
        action: "avenant.generate",
        subjectType: "Avenant",
        subjectId: a.id,
        after: { year: a.year, bailleurId: a.bailleurId, rateBp: a.rateBp, fluxH: a.fluxH, rights: a.rights },
      })),
    );
    return { created: created.length, existing: drafts.length - created.length };
  });
}

async function lockAvenant(tx: Db, id: string) {
  const [row] = await tx.select().from(avenants).where(eq(avenants.id, id)).for("update");
  if (!row) throw httpError(404, "Ce courrier est introuvable, ou vous n'y avez pas accès.");
  return row;
}

function ensureTransition(row: AvenantRow, event: AvenantEvent): AvenantStatus {
  const next = nextStatus(row.status, event);
  if (!next) throw httpError(409, refusal(row.status, event));
  return next;
}

/** A sent letter whose period is over is deemed accepted: 409 "délai expiré le …" for any step (`done`: "accepté"). */
function ensureWithinPeriod(row: AvenantRow, now: Date, done: string) {
  if (row.status === "sent" && row.deadlineEndsAt && now.getTime() >= row.deadlineEndsAt.getTime())
    throw httpError(
      409,
      `Délai expiré le ${formatLastDay(row.deadlineLastDay!)} à minuit : le courrier est réputé accepté, il ne peut plus être ${done}.`,
    );
}

type Party = "reservataireId" | "bailleurId";
/** What a mail about a letter says of it (the jobs read back only these columns of the thousands they change). */
const MAILED_COLUMNS = {
  id: avenants.id,
  reservataireId: avenants.reservataireId,
  bailleurId: avenants.bailleurId,
  year: avenants.year,
  rateBp: avenants.rateBp,
  rights: avenants.rights,
  deadlineLastDay: avenants.deadlineLastDay,
};
type MailedLetter = Pick<AvenantRow, keyof typeof MAILED_COLUMNS>;

/**
 * One mail per member of the letters' chosen parties (`recipients`, from `memberEmails`), each built by a template
 * from the fields every avenant mail shares. One place for the send, answer, reminder and tacit-acceptance mails.
 */
async function mailsFor(
  tx: Db,
  letters: MailedLetter[],
  parties: Party[],
  recipients: Array<{ organisationId: string; email: string }>,
  build: (base: AvenantMailInput, letter: MailedLetter) => Mail,
  baseUrl: string,
): Promise<MailToMany[]> {
  const names = await namesOf(
    tx,
    letters.flatMap((l) => [l.reservataireId, l.bailleurId]),
  );
  const byOrganisation = new Map<string, string[]>();
  for (const r of recipients)
    byOrganisation.set(r.organisationId, [...(byOrganisation.get(r.organisationId) ?? []), r.email]);
  const rates = new Map<number, string>();
  return letters.flatMap((letter) => {
    const emails = parties.flatMap((party) => byOrganisation.get(letter[party]) ?? []);
    if (emails.length === 0) return [];
    const rate = rates.get(letter.rateBp) ?? formatRate(letter.rateBp);
    rates.set(letter.rateBp, rate);
    const base = {
      reservataireName: names.get(letter.reservataireId)!,
      bailleurName: names.get(letter.bailleurId)!,
      year: letter.year,
      rate,
      rights: letter.rights,
      url: `${baseUrl}/avenants?annee=${letter.year}#${letter.id}`,
    };
    // A mail's text does not depend on its recipient: rendered once per letter, addressed to each.
    return [{ ...build({ ...base, to: emails[0]! }, letter), to: emails }];
  });
}

/** Mails the members of one party of one letter holding `roles`, each built by `build` (send, answer, withdraw). */
async function mailParty(
  tx: Db,
  letter: AvenantRow,
  party: Party,
  roles: Role[],
  build: (base: AvenantMailInput) => Mail,
  baseUrl: string,
) {
  const recipients = await memberEmails(tx, [letter[party]], roles);
  await enqueueMails(tx, await mailsFor(tx, [letter], [party], recipients, build, baseUrl));
}

/**
 * Sends a draft (or maintains a contested letter, which is sent again as it is): the two-month period starts now;
 * the bailleur's signataires are told the exact date on which it will be deemed accepted.
 */
export async function sendAvenant(
  actor: AuditActor,
  input: { id: string; event: "send" | "maintain"; baseUrl: string; now?: Date },
) {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const row = await lockAvenant(tx, input.id);
    const status = ensureTransition(row, input.event);
    const deadline = avenantDeadline(now);
    const [updated] = await tx
      .update(avenants)
      .set({
        status,
        sentAt: now,
        sentBy: actor.userId,
        deadlineEndsAt: deadline.endsAt,
        deadlineLastDay: deadline.lastDay,
        answeredAt: null,
        answeredBy: null,
        reminder15SentAt: null,
        reminder3SentAt: null,
        version: input.event === "maintain" ? row.version + 1 : row.version,
        updatedAt: now,
      })
      .where(eq(avenants.id, row.id))
      .returning();
    const deemedAcceptedOn = formatLastDay(deadline.lastDay);
    await mailParty(
      tx,
      updated!,
      "bailleurId",
      ["signataire"],
      (base) => avenantSentMail({ ...base, deemedAcceptedOn }),
      input.baseUrl,
    );
    await recordAudit(tx, actor, {
      action: input.event === "maintain" ? "avenant.maintain" : "avenant.send",
      subjectType: "Avenant",
      subjectId: row.id,
      before: { status: row.status },
      after: { status, sentAt: now, deadline: deadline.lastDay },
    });
    return updated!;
  });
}

/** The bailleur's signataire accepts or contests before the end of the period; after it, 409 "délai expiré le …". */
export async function answerAvenant(
  actor: AuditActor,
  input: { id: string; event: "accept" | "contest"; reason?: string; baseUrl: string; now?: Date },
) {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const row = await lockAvenant(tx, input.id);
    ensureWithinPeriod(row, now, input.event === "accept" ? "accepté" : "contesté");
    const status = ensureTransition(row, input.event);
    const [updated] = await tx
      .update(avenants)
      .set({
        status,
        answeredAt: now,
        answeredBy: actor.userId,
        contestReason: input.event === "contest" ? (input.reason ?? null) : null,
        updatedAt: now,
      })
      .where(eq(avenants.id, row.id))
      .returning();
    const outcome = input.event === "accept" ? "accepté" : "contesté";
    await mailParty(
      tx,
      updated!,
      "reservataireId",
      ["signataire", "gestionnaire"],
      (base) => avenantOutcomeMail({ ...base, outcome, reason: updated!.contestReason }),
      input.baseUrl,
    );
    await recordAudit(tx, actor, {
      action: input.event === "accept" ? "avenant.accept" : "avenant.contest",
      subjectType: "Avenant",
      subjectId: row.id,
      before: { status: row.status },
      after: { status, reason: updated!.contestReason },
    });
    return updated!;
  });
}

/**
 * The réservataire withdraws a letter not yet answered (draft, sent within its period, contested). A letter the
 * bailleur has received is withdrawn in writing: its signataires are told.
 */
export async function withdrawAvenant(actor: AuditActor, input: { id: string; baseUrl: string; now?: Date }) {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const row = await lockAvenant(tx, input.id);
    ensureWithinPeriod(row, now, "retiré");
    const status = ensureTransition(row, "withdraw");
    const [updated] = await tx
      .update(avenants)
      .set({ status, updatedAt: now })
      .where(eq(avenants.id, row.id))
      .returning();
    if (row.status !== "draft")
      await mailParty(
        tx,
        updated!,
        "bailleurId",
        ["signataire"],
        (base) => avenantOutcomeMail({ ...base, outcome: "retiré par le réservataire" }),
        input.baseUrl,
      );
    await recordAudit(tx, actor, {
      action: "avenant.withdraw",
      subjectType: "Avenant",
      subjectId: row.id,
      before: { status: row.status },
      after: { status },
    });
    return updated!;
  });
}

/** The réservataire revises a contested letter: back to a draft (new rate if given), to be sent again. */
export async function reviseAvenant(
  actor: AuditActor,
  input: { id: string; reservataireKind: string; rateBp?: number; now?: Date },
) {
  const now = input.now ?? new Date();
  if (input.rateBp !== undefined) {
    const error = avenantRateError(input.reservataireKind as ReservataireKind, input.rateBp);
    if (error) throw httpError(400, error, { errors: { rate: error } });
  }
  return db.transaction(async (tx) => {
    const row = await lockAvenant(tx, input.id);
    const status = ensureTransition(row, "revise");
    const rateBp = input.rateBp ?? row.rateBp;
    const [updated] = await tx
      .update(avenants)
      .set({
        status,
        rateBp,
        rights: rightsFor(row.fluxH, rateBp).rounded,
        version: row.version + 1,
        sentAt: null,
        sentBy: null,
        deadlineEndsAt: null,
        deadlineLastDay: null,
        answeredAt: null,
        answeredBy: null,
        reminder15SentAt: null,
        reminder3SentAt: null,
        updatedAt: now,
      })
      .where(eq(avenants.id, row.id))
      .returning();
    await recordAudit(tx, actor, {
      action: "avenant.revise",
      subjectType: "Avenant",
      subjectId: row.id,
      before: { status: row.status, rateBp: row.rateBp, contestReason: row.contestReason },
      after: { status, rateBp, version: updated!.version },
    });
    return updated!;
  });
}

/** Letters claimed per transaction by the jobs (a national pass handles ~100 000). */
const BATCH = 2000;
/** Workers of one tacit-acceptance pass: they claim disjoint batches (SKIP LOCKED), so they may overlap safely. */
const WORKERS = 2;

/**
 * Tacit acceptance (job): every sent letter whose period is over at `now` becomes tacitly accepted, and both
 * parties' signataires are told. Rows are claimed by a conditional UPDATE over a SKIP LOCKED selection, so two
 * runs at once never accept (nor mail) the same letter twice.
 */
export async function acceptDueAvenants(now: Date, baseUrl = publicUrl()): Promise<number> {
  const counts = await Promise.all(Array.from({ length: WORKERS }, () => acceptDueBatches(now, baseUrl)));
  return counts.reduce((a, b) => a + b, 0);
}

async function acceptDueBatches(now: Date, baseUrl: string): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const due = tx
        .select({ id: avenants.id })
        .from(avenants)
        .where(and(eq(avenants.status, "sent"), lte(avenants.deadlineEndsAt, now)))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      const accepted = await tx
        .update(avenants)
        .set({ status: "tacitly_accepted", answeredAt: now, updatedAt: now })
        // `= any(array(…))`: the claimed ids are looked up by primary key, never by scanning every sent letter.
        .where(and(sql`${avenants.id} = any(array${due})`, eq(avenants.status, "sent")))
        .returning(MAILED_COLUMNS);
      if (accepted.length === 0) return 0;
      const orgIds = [...new Set(accepted.flatMap((a) => [a.reservataireId, a.bailleurId]))];
      const recipients = await memberEmails(tx, orgIds, ["signataire"]);
      await enqueueMails(
        tx,
        await mailsFor(
          tx,
          accepted,
          ["reservataireId", "bailleurId"],
          recipients,
          (base, a) =>
            avenantOutcomeMail({
              ...base,
              outcome: `réputé accepté (sans réaction au ${formatLastDay(a.deadlineLastDay!)})`,
            }),
          baseUrl,
        ),
      );
      await recordAudits(
        tx,
        SYSTEM_ACTOR,
        accepted.map((a) => ({
          action: "avenant.tacit_acceptance",
          subjectType: "Avenant",
          subjectId: a.id,
          before: { status: "sent" },
          after: { status: "tacitly_accepted", deadline: a.deadlineLastDay },
        })),
      );
      return accepted.length;
    });
    total += done;
    if (done < BATCH) return total;
  }
}

/**
 * Reminders to the bailleur's signataires 15 and 3 days before the end of the period (job); each is recorded on
 * the letter by the same conditional UPDATE that claims it, so it is queued once. A letter already within 3 days
 * gets only the 3-day reminder.
 */
export async function remindAvenants(now: Date, baseUrl = publicUrl()): Promise<{ d15: number; d3: number }> {
  const counts = { d15: 0, d3: 0 };
  for (const days of [3, 15] as const) {
    const column = days === 15 ? avenants.reminder15SentAt : avenants.reminder3SentAt;
    for (;;) {
      const done = await db.transaction(async (tx) => {
        const windowStart = new Date(now.getTime() + days * 86_400_000);
        const due = tx
          .select({ id: avenants.id })
          .from(avenants)
          .where(
            and(
              eq(avenants.status, "sent"),
              isNull(column),
              gt(avenants.deadlineEndsAt, now),
              lte(avenants.deadlineEndsAt, windowStart),
            ),
          )
          .limit(BATCH)
          .for("update", { skipLocked: true });
        const claimed = await tx
          .update(avenants)
          .set(
            days === 3
              ? // The 15-day reminder is pointless once within 3 days.
                {
                  reminder3SentAt: now,
                  reminder15SentAt: sql`coalesce(${avenants.reminder15SentAt}, ${now.toISOString()}::timestamptz)`,
                }
              : { reminder15SentAt: now },
          )
          .where(and(sql`${avenants.id} = any(array${due})`, eq(avenants.status, "sent"), isNull(column)))
          .returning(MAILED_COLUMNS);
        if (claimed.length === 0) return 0;
        const recipients = await memberEmails(
          tx,
          [...new Set(claimed.map((a) => a.bailleurId))],
          ["signataire"],
        );
        await enqueueMails(
          tx,
          await mailsFor(
            tx,
            claimed,
            ["bailleurId"],
            recipients,
            (base, a) =>
              avenantReminderMail({
                ...base,
                deemedAcceptedOn: formatLastDay(a.deadlineLastDay!),
                daysLeft: days,
              }),
            baseUrl,
          ),
        );
        await recordAudits(
          tx,
          SYSTEM_ACTOR,
          claimed.map((a) => ({
            action: `avenant.reminder_${days}d`,
            subjectType: "Avenant",
            subjectId: a.id,
            after: { deadline: a.deadlineLastDay },
          })),
        );
        return claimed.length;
      });
      counts[days === 15 ? "d15" : "d3"] += done;
      if (done < BATCH) break;
    }
  }
  return counts;
}

/** The two parties' names of a letter. */
export async function organisationNames(row: Pick<AvenantRow, "reservataireId" | "bailleurId">) {
  const names = await namesOf(db, [row.reservataireId, row.bailleurId]);
  return {
    reservataireName: names.get(row.reservataireId) ?? "",
    bailleurName: names.get(row.bailleurId) ?? "",
  };
}
