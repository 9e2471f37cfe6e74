import { and, asc, eq, exists, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import {
  type AvenantContestPart,
  type AvenantStatus,
  avenantMessages,
  avenants,
  organisations,
  type Role,
  users,
} from "#db/schema";
import { enqueueMails, type MailToMany } from "#emails/outbox.server";
import {
  type AvenantMailInput,
  avenantOutcomeMail,
  avenantReminderMail,
  avenantReplyMail,
  avenantSentMail,
  type Mail,
} from "#emails/templates";
import { asSubject } from "#policies/ability";
import { ensureCan } from "#policies/guard.server";
import type { SubjectName } from "#policies/rules";
import {
  type AnsweredPart,
  answerRefusal,
  CONTEST_PART_LABELS,
  disputeOutcome,
  openDispute,
} from "~/domain/avenant-dispute";
import {
  AVENANT_STATUS_LABELS,
  type AvenantEvent,
  isAccepted,
  nextStatus,
  refusal,
} from "~/domain/avenant-status";
import { acceptedOn, avenantDeadline, deadlineEnd } from "~/domain/deadline";
import { avenantRateError, type ReservataireKind, rightsFor } from "~/domain/rights";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { recordAudit, recordAudits, SYSTEM_ACTOR } from "~/lib/audit.server";
import { formatRate } from "~/lib/cycle-validation";
import { DomainError, notFoundError } from "~/lib/domain-error";
import { publicUrl } from "~/lib/route-params.server";
import { annexRows, publishedVersionIn, RESERVATAIRE_KINDS } from "./assiette.server";
import { memberEmails } from "./members.server";

/**
 * Courriers valant avenant (004 line 154; model convention art. 2, line 593): generated from the published
 * assiette, sent by the réservataire's signataire, accepted or contested by the bailleur's signataire before the end
 * of the two-month period (app/domain/deadline.ts), otherwise tacitly accepted by the job below at the period's end.
 * A contest is answered by the party that can change what it contests (app/domain/avenant-dispute.ts).
 * Each step is one function taking the Actor, asking the policy first, and throwing DomainErrors; the pages and the
 * API call the same functions.
 */

type AvenantRow = typeof avenants.$inferSelect;

/** The policy's view of an avenant: the réservataire owns it, both organisations are party to it. */
export const avenantSubject = (row: Pick<AvenantRow, "reservataireId" | "bailleurId">) => ({
  organisationId: row.reservataireId,
  bailleurId: row.bailleurId,
  partyIds: [row.reservataireId, row.bailleurId],
});

const LETTER = "Ce courrier";
const deadlineLabels = new Map<string, string>();

/** « samedi 30 janvier 2027 à 24 h (heure de Paris) » (remembered: a job pass formats the same days many times). */
function deadlineLabel(lastDay: string): string {
  let label = deadlineLabels.get(lastDay);
  if (label === undefined) {
    label = deadlineEnd(lastDay);
    if (deadlineLabels.size < 10_000) deadlineLabels.set(lastDay, label);
  }
  return label;
}

// ── Reading ─────────────────────────────────────────────────────────────────────────────────────────────────────

type Thread = Array<typeof avenantMessages.$inferSelect & { authorName: string; organisationName: string }>;

async function threadsOf(tx: Db, ids: string[]): Promise<Map<string, Thread>> {
  const threads = new Map<string, Thread>(ids.map((id) => [id, []]));
  if (ids.length === 0) return threads;
  const rows = await tx
    .select({
      message: avenantMessages,
      authorName: users.name,
      organisationName: organisations.name,
    })
    .from(avenantMessages)
    .innerJoin(users, eq(users.id, avenantMessages.authorId))
    .innerJoin(organisations, eq(organisations.id, avenantMessages.organisationId))
    .where(inArray(avenantMessages.avenantId, ids))
    .orderBy(asc(avenantMessages.createdAt), asc(avenantMessages.id));
  for (const r of rows)
    threads.get(r.message.avenantId)!.push({
      ...r.message,
      authorName: r.authorName,
      organisationName: r.organisationName,
    });
  return threads;
}

/** A letter whose thread holds a contest of H: the État, which answers it, reads it too. */
const contestsH = (thread: Thread) => thread.some((m) => m.kind === "contest" && m.part !== "rate");

/** Whether the actor may read the letter: a party to it, or the État on a letter whose H was contested. */
function mayRead(actor: Actor, row: AvenantRow, thread: Thread): boolean {
  const subject = avenantSubject(row);
  return (
    actor.ability.can("read", asSubject("Avenant", subject)) ||
    (actor.ability.can("read", asSubject("AvenantAssietteAnswer", subject)) && contestsH(thread))
  );
}

const mayDo = (actor: Actor, type: SubjectName, row: AvenantRow) =>
  actor.ability.can("create", asSubject(type, avenantSubject(row)));

/** Throws 403-like unless the policy grants the step on the letter. */
function allow(actor: Actor, type: SubjectName, row: AvenantRow, message: string) {
  if (!mayDo(actor, type, row)) throw new DomainError("forbidden", message);
}

const letterColumns = {
  avenant: avenants,
  reservataireName: sql<string>`(select name from organisations where id = ${avenants.reservataireId})`,
  bailleurName: sql<string>`(select name from organisations where id = ${avenants.bailleurId})`,
  answeredByName: sql<string | null>`(select name from users where id = ${avenants.answeredBy})`,
};
type LetterRow = {
  avenant: AvenantRow;
  reservataireName: string;
  bailleurName: string;
  answeredByName: string | null;
};

/** The JSON form of a letter (API, pages, PDF): its figures, deadline, acceptance (who, when, how) and dispute. */
export function avenantJson(r: LetterRow, thread: Thread) {
  const row = r.avenant;
  const accepted = isAccepted(row.status);
  const tacit = row.status === "tacitly_accepted";
  const dispute = openDispute(thread, row.version);
  return {
    id: row.id,
    year: row.year,
    reservataire: { id: row.reservataireId, name: r.reservataireName },
    bailleur: { id: row.bailleurId, name: r.bailleurName },
    status: row.status,
    rateBp: row.rateBp,
    fluxH: row.fluxH,
    // The stored right is the annex's (ROUNDING_RULE on the whole bailleur), not this rate's lone rounding.
    rights: { exact: (row.fluxH * row.rateBp) / 10_000, rounded: row.rights },
    sentAt: row.sentAt,
    deadline:
      row.deadlineEndsAt && row.deadlineLastDay
        ? {
            lastDay: row.deadlineLastDay,
            endsAt: row.deadlineEndsAt,
            label: deadlineLabel(row.deadlineLastDay),
          }
        : null,
    answeredAt: row.answeredAt,
    /** A tacit acceptance takes effect at the end of the period (DESIGN §3), whenever the job noticed it. */
    acceptance: accepted ? (tacit ? ("tacit" as const) : ("explicit" as const)) : null,
    acceptedAt: accepted ? (tacit ? row.deadlineEndsAt : row.answeredAt) : null,
    acceptedBy:
      accepted && !tacit && row.answeredBy
        ? {
            user: { id: row.answeredBy, name: r.answeredByName ?? "" },
            organisation: { id: row.bailleurId, name: r.bailleurName },
          }
        : null,
    contestReason: row.contestReason,
    dispute: {
      contested: dispute?.contested ?? [],
      pending: row.status === "contested" ? (dispute?.pending ?? []) : [],
      awaitingRectificatif:
        row.status === "contested" && dispute !== null && disputeOutcome(dispute) === "await_rectificatif",
      thread: thread.map((m) => ({
        kind: m.kind,
        part: m.part,
        text: m.text,
        rateBp: m.rateBp,
        letterVersion: m.letterVersion,
        at: m.createdAt,
        author: { id: m.authorId, name: m.authorName },
        organisation: { id: m.organisationId, name: m.organisationName },
      })),
    },
    version: row.version,
    assietteVersion: row.assietteVersion,
    replacedBy: row.replacedBy,
  };
}
export type AvenantJson = ReturnType<typeof avenantJson>;

/**
 * The letter's status in words, with its acceptance: « Accepté tacitement le samedi 30 janvier 2027 à 24 h (heure
 * de Paris) », « Accepté le 1er février 2027 à 10:05 par Jeanne Martin (Vilogia) ».
 */
export function statusLine(letter: AvenantJson): string {
  const label = AVENANT_STATUS_LABELS[letter.status];
  if (!letter.acceptedAt) return label;
  const when = acceptedOn({
    at: letter.acceptedAt,
    tacitLastDay: letter.acceptance === "tacit" ? (letter.deadline?.lastDay ?? null) : null,
  });
  const who = letter.acceptedBy
    ? ` par ${letter.acceptedBy.user.name} (${letter.acceptedBy.organisation.name})`
    : "";
  return `${label} ${when}${who}`;
}

/**
 * The letters of a year (or all years) the actor may read: those its organisation is party to, and for the État
 * those whose H was contested (it answers them).
 */
export async function listAvenants(actor: Actor, year?: number): Promise<AvenantJson[]> {
  const orgId = actor.organisation.id;
  const answersH = actor.ability.can("read", "AvenantAssietteAnswer");
  // Either right opens the list; each letter is then checked by `mayRead`.
  if (!answersH) ensureCan(actor.ability, "read", "Avenant");
  const rows = await db
    .select(letterColumns)
    .from(avenants)
    .where(
      and(
        or(
          eq(avenants.reservataireId, orgId),
          eq(avenants.bailleurId, orgId),
          answersH
            ? exists(
                db
                  .select({ one: sql`1` })
                  .from(avenantMessages)
                  .where(
                    and(
                      eq(avenantMessages.avenantId, avenants.id),
                      eq(avenantMessages.kind, "contest"),
                      inArray(avenantMessages.part, ["h", "both"]),
                    ),
                  ),
              )
            : undefined,
        ),
        year === undefined ? undefined : eq(avenants.year, year),
      ),
    )
    .orderBy(asc(avenants.year), asc(avenants.createdAt));
  const threads = await threadsOf(
    db,
    rows.map((r) => r.avenant.id),
  );
  return rows
    .filter((r) => mayRead(actor, r.avenant, threads.get(r.avenant.id)!))
    .map((r) => avenantJson(r, threads.get(r.avenant.id)!));
}

/** One letter the actor may read (else not found: another organisation's letter is not told apart). */
export async function readAvenant(actor: Actor, id: string, tx: Db = db): Promise<AvenantJson> {
  const [row] = await tx.select(letterColumns).from(avenants).where(eq(avenants.id, id));
  const thread = row ? (await threadsOf(tx, [id])).get(id)! : [];
  if (!row || !mayRead(actor, row.avenant, thread)) throw notFoundError(LETTER);
  return avenantJson(row, thread);
}

// ── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────────

type StepOptions = { baseUrl: string; now?: Date };

/** The letter locked for the step, with its thread, if the actor may read it. */
async function lockAvenant(tx: Db, actor: Actor, id: string) {
  const [row] = await tx.select().from(avenants).where(eq(avenants.id, id)).for("update");
  const thread = row ? (await threadsOf(tx, [id])).get(id)! : [];
  if (!row || !mayRead(actor, row, thread)) throw notFoundError(LETTER);
  return { row, thread };
}

function ensureTransition(row: AvenantRow, event: AvenantEvent): AvenantStatus {
  const next = nextStatus(row.status, event);
  if (!next) throw new DomainError("conflict", refusal(row.status, event));
  return next;
}

/** A sent letter whose period is over is deemed accepted: refused for any step (`done`: "accepté"). */
function ensureWithinPeriod(row: AvenantRow, now: Date, done: string) {
  if (row.status === "sent" && row.deadlineEndsAt && now.getTime() >= row.deadlineEndsAt.getTime())
    throw new DomainError(
      "conflict",
      `Délai expiré le ${deadlineLabel(row.deadlineLastDay!)} : le courrier est réputé accepté, il ne peut plus être ${done}.`,
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

async function namesOf(tx: Db, ids: string[]) {
  const rows = await tx
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(inArray(organisations.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Who is mailed about a letter: the members (`recipients`, from `memberEmails`) of the letter's chosen parties. */
function membersOf(recipients: Array<{ organisationId: string; email: string }>, parties: Party[]) {
  const byOrganisation = new Map<string, string[]>();
  for (const r of recipients)
    byOrganisation.set(r.organisationId, [...(byOrganisation.get(r.organisationId) ?? []), r.email]);
  return (letter: MailedLetter) => parties.flatMap((party) => byOrganisation.get(letter[party]) ?? []);
}

/**
 * One mail per letter to the addresses `emailsOf` gives, built by a template from the fields every avenant mail
 * shares. One place for the send, answer, reply, reminder and tacit-acceptance mails.
 */
async function mailsFor(
  tx: Db,
  letters: MailedLetter[],
  emailsOf: (letter: MailedLetter) => string[],
  build: (base: AvenantMailInput, letter: MailedLetter) => Mail,
  baseUrl: string,
): Promise<MailToMany[]> {
  const names = await namesOf(
    tx,
    letters.flatMap((l) => [l.reservataireId, l.bailleurId]),
  );
  const rates = new Map<number, string>();
  return letters.flatMap((letter) => {
    const emails = emailsOf(letter);
    if (emails.length === 0) return [];
    const rate = rates.get(letter.rateBp) ?? formatRate(letter.rateBp);
    rates.set(letter.rateBp, rate);
    const base = {
      reservataireName: names.get(letter.reservataireId)!,
      bailleurName: names.get(letter.bailleurId)!,
      year: letter.year,
      rate,
      rights: letter.rights,
      url: `${baseUrl}/avenants?year=${letter.year}#${letter.id}`,
    };
    // A mail's text does not depend on its recipient: rendered once per letter, addressed to each.
    return [{ ...build({ ...base, to: emails[0]! }, letter), to: emails }];
  });
}

/** Mails the members holding `roles` of organisations about one letter (its parties, or the État). */
async function mailOrganisations(
  tx: Db,
  letter: AvenantRow,
  organisationIds: string[],
  roles: Role[],
  build: (base: AvenantMailInput) => Mail,
  baseUrl: string,
) {
  const emails = (await memberEmails(tx, organisationIds, roles)).map((r) => r.email);
  await enqueueMails(tx, await mailsFor(tx, [letter], () => emails, build, baseUrl));
}

/** Mails the members of one party of one letter holding `roles` (send, answer, withdraw). */
const mailParty = (
  tx: Db,
  letter: AvenantRow,
  party: Party,
  roles: Role[],
  build: (base: AvenantMailInput) => Mail,
  baseUrl: string,
) => mailOrganisations(tx, letter, [letter[party]], roles, build, baseUrl);

/**
 * Drafts the year's letters of the actor's organisation (a réservataire) for every bailleur on which its rate is
 * above 0, from the published assiette. Idempotent: a letter that already exists for the pair and year is left as it is.
 */
export async function generateAvenants(actor: Actor, input: { year: number }) {
  const own = { organisationId: actor.organisation.id, partyIds: [actor.organisation.id] };
  // The rules give `create Avenant` to the réservataires only (policies/rules.ts).
  if (!actor.ability.can("create", asSubject("Avenant", own)))
    throw new DomainError("forbidden", "Seul un réservataire prépare des courriers valant avenant.");
  const kind = actor.organisation.kind as ReservataireKind;
  return db.transaction(async (tx) => {
    // The figures of the latest published version, which the letters name (assiette_version).
    const version = await publishedVersionIn(tx, input.year);
    if (version === null)
      throw new DomainError(
        "conflict",
        `L'assiette ${input.year} n'est pas encore publiée par l'État : les courriers ne peuvent pas être préparés.`,
      );
    // The rights as the annex gives them (one rounding per right); a draft forecast gives none (DESIGN §3).
    const rows = (await annexRows(tx, input.year)).filter(
      (r) => r.forecast !== null && r.reservataires[kind].rateBp > 0,
    );
    const refused = rows
      .filter((r) => r.rights === null)
      .map((r) => ({
        bailleur: r.bailleur,
        reason: `${r.bailleur.name} n'a qu'un brouillon de prévision ${input.year} : tant qu'il ne l'a pas transmise, elle ne donne aucun droit et aucun courrier ne peut en être tiré.`,
      }));
    const drafts = rows
      .filter((r) => r.rights !== null)
      .map((r) => ({
        reservataireId: actor.organisation.id,
        bailleurId: r.bailleur.id,
        year: input.year,
        rateBp: r.reservataires[kind].rateBp,
        fluxH: r.forecast!.h,
        rights: r.reservataires[kind].rounded!,
        assietteVersion: version,
      }));
    const created =
      drafts.length === 0
        ? []
        : await tx
            .insert(avenants)
            .values(drafts)
            .onConflictDoNothing({
              target: [avenants.reservataireId, avenants.bailleurId, avenants.year],
              where: sql`${avenants.status} <> 'replaced'`,
            })
            .returning();
    await recordAudits(
      tx,
      auditActorOf(actor),
      created.map((a) => ({
        action: "avenant.generate",
        subjectType: "Avenant",
        subjectId: a.id,
        after: { year: a.year, bailleurId: a.bailleurId, rateBp: a.rateBp, fluxH: a.fluxH, rights: a.rights },
      })),
    );
    return { created: created.length, existing: drafts.length - created.length, refused };
  });
}

/**
 * Sends the letter (a draft, or a contested letter once answered): a new two-month period starts now and the
 * bailleur's signataires are told the exact end of it. `patch`: what else changes (a new version after a contest).
 */
async function dispatch(
  tx: Db,
  actor: Actor,
  row: AvenantRow,
  patch: Partial<AvenantRow>,
  opts: StepOptions,
) {
  const now = opts.now ?? new Date();
  const deadline = avenantDeadline(now);
  const [updated] = await tx
    .update(avenants)
    .set({
      ...patch,
      status: "sent",
      sentAt: now,
      sentBy: actor.user.id,
      deadlineEndsAt: deadline.endsAt,
      deadlineLastDay: deadline.lastDay,
      answeredAt: null,
      answeredBy: null,
      reminder15SentAt: null,
      reminder3SentAt: null,
      updatedAt: now,
    })
    .where(eq(avenants.id, row.id))
    .returning();
  const deemedAcceptedOn = deadlineLabel(deadline.lastDay);
  await mailParty(
    tx,
    updated!,
    "bailleurId",
    ["signataire"],
    (base) => avenantSentMail({ ...base, deemedAcceptedOn }),
    opts.baseUrl,
  );
  return updated!;
}

/** The réservataire's signataire sends a draft: the two-month period starts now. */
export async function sendAvenant(actor: Actor, input: { id: string } & StepOptions) {
  return db.transaction(async (tx) => {
    const { row } = await lockAvenant(tx, actor, input.id);
    allow(actor, "AvenantSending", row, "Seul le signataire du réservataire envoie ce courrier.");
    ensureTransition(row, "send");
    const updated = await dispatch(tx, actor, row, {}, input);
    await recordAudit(tx, auditActorOf(actor), {
      action: "avenant.send",
      subjectType: "Avenant",
      subjectId: row.id,
      before: { status: row.status },
      after: { status: updated.status, sentAt: updated.sentAt, deadline: updated.deadlineLastDay },
    });
    return updated;
  });
}

/**
 * Sends every draft of the year of the actor's organisation in one action, each through `sendAvenant` (the policy
 * and the transition checked letter by letter, each in its own transaction). Run twice, it finds no draft left.
 */
export async function sendAllAvenants(actor: Actor, input: { year: number } & StepOptions) {
  const own = { organisationId: actor.organisation.id, partyIds: [actor.organisation.id] };
  if (!actor.ability.can("create", asSubject("AvenantSending", own)))
    throw new DomainError("forbidden", "Seul le signataire du réservataire envoie ses courriers.");
  const drafts = await db
    .select({ id: avenants.id, bailleurName: letterColumns.bailleurName })
    .from(avenants)
    .where(
      and(
        eq(avenants.reservataireId, actor.organisation.id),
        eq(avenants.year, input.year),
        eq(avenants.status, "draft"),
      ),
    )
    .orderBy(asc(avenants.createdAt));
  const refused: Array<{ id: string; bailleur: string; reason: string }> = [];
  let sent = 0;
  for (const draft of drafts) {
    try {
      await sendAvenant(actor, { ...input, id: draft.id });
      sent++;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused.push({ id: draft.id, bailleur: draft.bailleurName, reason: error.message });
    }
  }
  return { sent, refused };
}

/** The bailleur's signataire accepts before the end of the period: who and when are recorded and shown. */
export async function acceptAvenant(actor: Actor, input: { id: string } & StepOptions) {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const { row } = await lockAvenant(tx, actor, input.id);
    allow(actor, "AvenantAnswer", row, "Seul le signataire du bailleur accepte ce courrier.");
    ensureWithinPeriod(row, now, "accepté");
    const status = ensureTransition(row, "accept");
    const [updated] = await tx
      .update(avenants)
      .set({ status, answeredAt: now, answeredBy: actor.user.id, contestReason: null, updatedAt: now })
      .where(eq(avenants.id, row.id))
      .returning();
    await mailParty(
      tx,
      updated!,
      "reservataireId",
      ["signataire", "gestionnaire"],
      (base) => avenantOutcomeMail({ ...base, outcome: `accepté par ${actor.user.name}` }),
      input.baseUrl,
    );
    await recordAudit(tx, auditActorOf(actor), {
      action: "avenant.accept",
      subjectType: "Avenant",
      subjectId: row.id,
      before: { status: row.status },
      after: { status, answeredAt: now },
    });
    return updated!;
  });
}

/**
 * The bailleur's signataire contests H, the rate or both, and says why, before the end of the period. The party
 * that answers is told: the réservataire always, the État's assiette team when H is contested.
 */
export async function contestAvenant(
  actor: Actor,
  input: { id: string; part: AvenantContestPart; reason: string } & StepOptions,
) {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const { row } = await lockAvenant(tx, actor, input.id);
    allow(actor, "AvenantAnswer", row, "Seul le signataire du bailleur conteste ce courrier.");
    ensureWithinPeriod(row, now, "contesté");
    const status = ensureTransition(row, "contest");
    const [updated] = await tx
      .update(avenants)
      .set({
        status,
        answeredAt: now,
        answeredBy: actor.user.id,
        contestReason: input.reason,
        updatedAt: now,
      })
      .where(eq(avenants.id, row.id))
      .returning();
    await tx.insert(avenantMessages).values({
      avenantId: row.id,
      letterVersion: row.version,
      kind: "contest",
      part: input.part,
      text: input.reason,
      authorId: actor.user.id,
      organisationId: actor.organisation.id,
      createdAt: now,
    });
    const outcome = `contesté (${CONTEST_PART_LABELS[input.part]})`;
    const mail = (base: AvenantMailInput) => avenantOutcomeMail({ ...base, outcome, reason: input.reason });
    await mailParty(tx, updated!, "reservataireId", ["signataire", "gestionnaire"], mail, input.baseUrl);
    if (input.part !== "rate") {
      const etat = await tx
        .select({ id: organisations.id })
        .from(organisations)
        .where(eq(organisations.kind, "etat"));
      const others = etat.map((o) => o.id).filter((id) => id !== row.reservataireId);
      await mailOrganisations(tx, updated!, others, ["signataire", "gestionnaire"], mail, input.baseUrl);
    }
    await recordAudit(tx, auditActorOf(actor), {
      action: "avenant.contest",
      subjectType: "Avenant",
      subjectId: row.id,
      before: { status: row.status },
      after: { status, part: input.part, reason: input.reason },
    });
    return updated!;
  });
}

/** Whether the actor answers `part` of the letter: the État for H, the réservataire's signataire for its rate. */
const answers = (actor: Actor, row: AvenantRow, part: AnsweredPart) =>
  mayDo(actor, part === "h" ? "AvenantAssietteAnswer" : "AvenantSending", row);

/**
 * An answer to a contest (revise or maintain) with its written reply, by the party that can change the part it
 * answers. The reply goes to the bailleur (and to the réservataire when the État answers). Once every contested
 * part is answered, the letter is sent again (new version, new period) unless the État revises H: then a
 * rectificatif of the assiette replaces it (app/models/assiette.server.ts).
 */
async function answerContest(
  actor: Actor,
  input: {
    id: string;
    kind: "revise" | "maintain";
    parts: AnsweredPart[];
    reply: string;
    rateBp?: number;
  } & StepOptions,
) {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const { row, thread } = await lockAvenant(tx, actor, input.id);
    const dispute = row.status === "contested" ? openDispute(thread, row.version) : null;
    // The parts this actor may answer now (maintain: all of them at once; revise: the one named).
    const parts = input.parts.filter((p) => dispute?.pending.includes(p) && answers(actor, row, p));
    if (parts.length === 0) {
      // Pending but not this actor's to answer: refused by the policy; otherwise nothing (left) to answer.
      const notMine = input.parts.find((p) => dispute?.pending.includes(p));
      if (notMine)
        throw new DomainError(
          "forbidden",
          notMine === "h"
            ? "Seul l'État, qui établit l'assiette, répond à une contestation de H."
            : "Seul le signataire du réservataire répond à une contestation de son taux.",
        );
      const part = input.parts.find((p) => dispute?.contested.includes(p)) ?? input.parts[0]!;
      throw new DomainError("conflict", answerRefusal(dispute, part, input.kind) ?? "Rien à répondre.");
    }
    await tx.insert(avenantMessages).values(
      parts.map((part) => ({
        avenantId: row.id,
        letterVersion: row.version,
        kind: input.kind,
        part,
        text: input.reply,
        rateBp: part === "rate" && input.kind === "revise" ? input.rateBp : null,
        authorId: actor.user.id,
        organisationId: actor.organisation.id,
        createdAt: now,
      })),
    );
    const rateBp = parts.includes("rate") && input.rateBp !== undefined ? input.rateBp : row.rateBp;
    // A maintained rate keeps the annex's right; a revised one is rounded on its own until a rectificatif.
    const figures = {
      rateBp,
      rights: rateBp === row.rateBp ? row.rights : rightsFor(row.fluxH, rateBp).rounded,
    };
    const after = openDispute(
      [...thread, ...parts.map((part) => ({ kind: input.kind, part, letterVersion: row.version }))],
      row.version,
    )!;
    const outcome = disputeOutcome(after);
    if (outcome === "resend") ensureTransition(row, input.kind);
    const updated =
      outcome === "resend"
        ? await dispatch(tx, actor, row, { ...figures, version: row.version + 1, contestReason: null }, input)
        : (
            await tx
              .update(avenants)
              .set({ ...figures, updatedAt: now })
              .where(eq(avenants.id, row.id))
              .returning()
          )[0]!;
    const decision = parts
      .map((p) =>
        input.kind === "maintain"
          ? `${CONTEST_PART_LABELS[p]} maintenu${p === "rate" ? "" : "e"}`
          : p === "h"
            ? "l'assiette (H) sera corrigée par un rectificatif"
            : `le taux est révisé à ${formatRate(rateBp)}`,
      )
      .join(" ; ");
    const next =
      outcome === "resend"
        ? `Le courrier est renvoyé : sans réaction, il sera réputé accepté le ${deadlineLabel(updated.deadlineLastDay!)}. Vous pouvez porter ce désaccord devant le comité de suivi.`
        : outcome === "await_rectificatif"
          ? "Un rectificatif de l'assiette publié par l'État remplacera ce courrier."
          : "L'autre partie contestée attend encore sa réponse.";
    const mail = (base: AvenantMailInput) =>
      avenantReplyMail({ ...base, author: actor.organisation.name, decision, reply: input.reply, next });
    await mailParty(tx, updated, "bailleurId", ["signataire", "gestionnaire"], mail, input.baseUrl);
    if (actor.organisation.id !== row.reservataireId)
      await mailParty(tx, updated, "reservataireId", ["signataire", "gestionnaire"], mail, input.baseUrl);
    await recordAudit(tx, auditActorOf(actor), {
      action: `avenant.${input.kind}`,
      subjectType: "Avenant",
      subjectId: row.id,
      before: { status: row.status, rateBp: row.rateBp, version: row.version },
      after: { status: updated.status, parts, rateBp, version: updated.version, reply: input.reply },
    });
    return updated;
  });
}

/**
 * Revises a contested part: the réservataire's rate (`rateBp`: a new letter, a new two-month period) or, by the
 * État, H (the assiette is corrected by a rectificatif, which replaces the letter).
 */
export async function reviseAvenant(
  actor: Actor,
  input: { id: string; reply: string; rateBp?: number } & StepOptions,
) {
  if (
    input.rateBp !== undefined &&
    RESERVATAIRE_KINDS.includes(actor.organisation.kind as ReservataireKind)
  ) {
    const error = avenantRateError(actor.organisation.kind as ReservataireKind, input.rateBp);
    if (error) throw new DomainError("invalid", error, { rate: error });
  }
  return answerContest(actor, {
    ...input,
    kind: "revise",
    parts: [input.rateBp === undefined ? "h" : "rate"],
  });
}

/** Maintains the contested parts the actor answers, with a reply that goes to the bailleur. */
export async function maintainAvenant(actor: Actor, input: { id: string; reply: string } & StepOptions) {
  return answerContest(actor, { ...input, kind: "maintain", parts: ["h", "rate"] });
}

/**
 * The réservataire withdraws a letter not yet answered (draft, sent within its period, contested). A letter the
 * bailleur has received is withdrawn in writing: its signataires are told.
 */
export async function withdrawAvenant(actor: Actor, input: { id: string } & StepOptions) {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const { row } = await lockAvenant(tx, actor, input.id);
    allow(actor, "AvenantSending", row, "Seul le signataire du réservataire retire ce courrier.");
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
    await recordAudit(tx, auditActorOf(actor), {
      action: "avenant.withdraw",
      subjectType: "Avenant",
      subjectId: row.id,
      before: { status: row.status },
      after: { status },
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
        // Deemed accepted at the end of the period (DESIGN §3 « Two months »), not when this pass noticed it.
        .set({
          status: "tacitly_accepted",
          answeredAt: sql`${avenants.deadlineEndsAt}`,
          answeredBy: null,
          updatedAt: now,
        })
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
          membersOf(recipients, ["reservataireId", "bailleurId"]),
          (base, a) =>
            avenantOutcomeMail({
              ...base,
              outcome: `réputé accepté le ${deadlineLabel(a.deadlineLastDay!)}, sans réaction du bailleur`,
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
            membersOf(recipients, ["bailleurId"]),
            (base, a) =>
              avenantReminderMail({
                ...base,
                deemedAcceptedOn: deadlineLabel(a.deadlineLastDay!),
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
