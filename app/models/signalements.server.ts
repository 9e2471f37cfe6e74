import { and, asc, count, desc, eq, inArray, isNull, lt, ne, type SQL, sql } from "drizzle-orm";
import { type Db, db, queryRows } from "#db/client.server";
import {
  mailDigestItems,
  memberships,
  organisations,
  signalementBailleurs,
  signalementComments,
  signalementEvents,
  signalementReads,
  signalements,
  users,
} from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import {
  type Mail,
  type SignalementRef,
  signalementCommentMail,
  signalementFollowedElsewhereMail,
  signalementReceivedMail,
  signalementStepMail,
} from "#emails/templates";
import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn, reachesAll } from "#policies/guard.server";
import {
  DEFAULT_ACK_ALERT_DAYS,
  DEFAULT_RETENTION_MONTHS,
  type EventDetails,
  eventDetailsErrors,
  isOpenStatus,
  normaliseNumeroUnique,
  type Party,
  positiveIntFromEnv,
  SIGNALEMENT_STATUSES,
  type SignalementStatus,
  STATUS_LABELS,
  transitionError,
} from "~/domain/signalement";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { recordAudit, recordAudits, SYSTEM_ACTOR } from "~/lib/audit.server";
import { ensureMelCommunes } from "~/lib/communes.server";
import { parisDay } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import { isUuid } from "~/lib/route-params.server";
import type {
  SignalementCorrection,
  SignalementEventInput,
  SignalementFilters,
  SignalementInput,
} from "~/lib/signalement-schemas";
import { recordAttributionIn } from "./attributions.server";
import { activeMembersWithRoles, recipients } from "./members.server";

/** The French name used in 404s: a foreign signalement is told apart from a missing one by nobody. */
const WHAT = "Ce signalement";
export const ackAlertDays = () =>
  positiveIntFromEnv(process.env.SIGNALEMENT_ACK_ALERT_DAYS, DEFAULT_ACK_ALERT_DAYS);
export const retentionMonths = () =>
  positiveIntFromEnv(process.env.SIGNALEMENT_RETENTION_MONTHS, DEFAULT_RETENTION_MONTHS);

const urlOf = (baseUrl: string, id: string) => `${baseUrl}/signalements/${id}`;

/** One side of a signalement: the commune, or one addressed bailleur, with the member it named to handle it. */
type Side = { organisationId: string; handlerUserId: string | null };

/**
 * Who hears about a signalement on one side: the member it named to handle it (while still an active member),
 * else the organisation's admins — not every gestionnaire (issue 16: two mails for one step).
 */
async function sideRecipients(tx: Db, side: Side) {
  const members = (condition: SQL) =>
    tx
      .select({ id: users.id, email: users.email, mode: users.signalementMails })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.organisationId, side.organisationId),
          isNull(memberships.deactivatedAt),
          isNull(users.deactivatedAt),
          condition,
        ),
      );
  if (side.handlerUserId) {
    const handler = await members(eq(users.id, side.handlerUserId));
    if (handler.length) return handler;
  }
  return members(sql`'admin' = any(${memberships.roles})`);
}

/** Tells each side's recipients: a mail now, or a line of their daily digest for those who chose it. */
async function notifySides(tx: Db, sides: Side[], ref: SignalementRef, mailFor: (to: string) => Mail) {
  const told = new Set<string>();
  for (const side of sides)
    for (const recipient of await sideRecipients(tx, side)) {
      if (told.has(recipient.id)) continue;
      told.add(recipient.id);
      const mail = mailFor(recipient.email);
      if (recipient.mode === "digest")
        await tx
          .insert(mailDigestItems)
          .values({ userId: recipient.id, line: `${mail.subject} : ${ref.url}` });
      else await enqueueMail(tx, mail);
    }
}

/** The signalement with what the policies need: `partyIds` = its commune and its addressed bailleurs. */
async function loadForPolicy(tx: Db, id: string, lock = false) {
  if (!isUuid(id)) return undefined;
  const query = tx.select().from(signalements).where(eq(signalements.id, id));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) return undefined;
  const addressees = await tx
    .select({
      bailleurId: signalementBailleurs.bailleurId,
      acknowledgedAt: signalementBailleurs.acknowledgedAt,
      handlerUserId: signalementBailleurs.handlerUserId,
      name: organisations.name,
      slug: organisations.slug,
    })
    .from(signalementBailleurs)
    .innerJoin(organisations, eq(organisations.id, signalementBailleurs.bailleurId))
    .where(eq(signalementBailleurs.signalementId, id))
    .orderBy(asc(organisations.name));
  const [commune] = await tx
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, row.communeId));
  return {
    ...row,
    communeName: commune?.name ?? "",
    addressees,
    partyIds: [row.communeId, ...addressees.map((a) => a.bailleurId)],
  };
}
type Loaded = NonNullable<Awaited<ReturnType<typeof loadForPolicy>>>;

/** Which side the actor is on for this signalement (null: neither, e.g. the MEL, which only reads). */
function partyOf(actor: Actor, row: Loaded): Party | null {
  if (actor.organisation.kind === "commune" && actor.organisation.id === row.communeId) return "commune";
  if (
    actor.organisation.kind === "bailleur" &&
    row.addressees.some((a) => a.bailleurId === actor.organisation.id)
  )
    return "bailleur";
  return null;
}

/**
 * Whether the actor speaks for the signalement as its author: who may create it (policies/rules.ts, `create
 * Signalement`: its commune's gestionnaires and admins) corrects it and addresses it to another bailleur.
 */
const isAuthor = (actor: Actor, row: Loaded) => actor.ability.can("create", asSubject("Signalement", row));

/** The side(s) to tell when `party` acts: the bailleurs when the commune does, the commune when a bailleur does. */
const otherSides = (row: Loaded, party: Party): Side[] =>
  party === "bailleur"
    ? [{ organisationId: row.communeId, handlerUserId: row.handlerUserId }]
    : row.addressees.map((a) => ({ organisationId: a.bailleurId, handlerUserId: a.handlerUserId }));

const refOf = (row: Loaded, baseUrl: string): SignalementRef => ({
  numeroUnique: row.numeroUnique,
  communeName: row.communeName,
  url: urlOf(baseUrl, row.id),
});

/** The MEL-only flag is removed for everyone else (they must not learn that another organisation follows it). */
function present<Row extends { followedElsewhere: boolean }>(
  actor: Actor,
  row: Row,
): Omit<Row, "followedElsewhere"> | (Omit<Row, "followedElsewhere"> & { followedElsewhere: boolean }) {
  const { followedElsewhere, ...rest } = row;
  return actor.organisation.kind === "metropole" ? { ...rest, followedElsewhere } : rest;
}

/** Maps a unique-index race (two creations at once) to the same 409 as the check. */
const DUPLICATE_MESSAGE =
  "Votre commune a déjà un signalement ouvert pour ce numéro unique : complétez-le plutôt que d'en créer un second.";

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === "23505" || e?.cause?.code === "23505";
}

/**
 * A commune signals a household to one or more bailleurs: one row, its addressees, a "sent" event, one mail per
 * addressed bailleur's gestionnaires, an audit entry — in one transaction. Refusals: 400 unknown bailleur or
 * commune, 409 duplicate open signalement in this commune. When another organisation already follows the same
 * numéro unique, only the MEL is told (flag + mail to its gestionnaires); the commune learns nothing.
 */
export async function createSignalement(
  actor: Actor,
  input: SignalementInput,
  options: { baseUrl: string; now?: Date },
): Promise<{ id: string }> {
  // Only a commune's gestionnaire or admin may (policies/rules.ts): the actor's organisation is the commune.
  ensureCan(actor.ability, "create", "Signalement");
  const now = options.now ?? new Date();
  try {
    return await db.transaction(async (tx) => {
      const slugs = [...new Set(input.bailleurSlugs)];
      const bailleurs = await tx
        .select({ id: organisations.id, slug: organisations.slug, kind: organisations.kind })
        .from(organisations)
        .where(inArray(organisations.slug, slugs));
      const unknown = slugs.filter((s) => !bailleurs.some((b) => b.slug === s && b.kind === "bailleur"));
      if (unknown.length)
        throw new DomainError(
          "invalid",
          `Bailleur inconnu : ${unknown.join(", ")}. Choisissez les bailleurs dans la liste de l'annuaire.`,
          { bailleurSlugs: "Bailleur inconnu." },
        );
      const codes = [...new Set(input.communesWanted)];
      ensureMelCommunes("communesWanted", "Communes souhaitées", codes);

      const [duplicate] = await tx
        .select({ id: signalements.id })
        .from(signalements)
        .where(
          and(
            eq(signalements.communeId, actor.organisation.id),
            eq(signalements.numeroUnique, input.numeroUnique),
            isNull(signalements.closedAt),
          ),
        );
      if (duplicate) throw new DomainError("conflict", DUPLICATE_MESSAGE, { numeroUnique: "Déjà signalé." });
      const [elsewhere] = await tx
        .select({ id: signalements.id })
        .from(signalements)
        .where(
          and(
            ne(signalements.communeId, actor.organisation.id),
            eq(signalements.numeroUnique, input.numeroUnique),
            isNull(signalements.closedAt),
          ),
        )
        .limit(1);

      const [row] = await tx
        .insert(signalements)
        .values({
          communeId: actor.organisation.id,
          numeroUnique: input.numeroUnique,
          adults: input.adults,
          children: input.children,
          typology: input.typology,
          communesWanted: codes,
          publicCategory: input.publicCategory,
          incomeQuartile: input.incomeQuartile ?? null,
          urgency: input.urgency,
          reason: input.reason,
          status: "sent",
          followedElsewhere: !!elsewhere,
          createdBy: actor.user.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const id = row!.id;
      await tx
        .insert(signalementBailleurs)
        .values(bailleurs.map((b) => ({ signalementId: id, bailleurId: b.id, createdAt: now })));
      await tx.insert(signalementEvents).values({
        signalementId: id,
        type: "sent",
        details: {},
        byUserId: actor.user.id,
        byOrganisationId: actor.organisation.id,
        at: now,
      });
      const url = urlOf(options.baseUrl, id);
      const ref = { numeroUnique: input.numeroUnique, communeName: actor.organisation.name, url };
      await notifySides(
        tx,
        bailleurs.map((b) => ({ organisationId: b.id, handlerUserId: null })),
        ref,
        (to) => signalementReceivedMail({ to, ...ref }),
      );
      if (elsewhere) {
        const mel = await tx
          .select({ id: organisations.id })
          .from(organisations)
          .where(eq(organisations.kind, "metropole"));
        for (const to of await recipients(
          tx,
          mel.map((m) => m.id),
          ["gestionnaire"],
        ))
          await enqueueMail(
            tx,
            signalementFollowedElsewhereMail({ to, communeName: actor.organisation.name, url }),
          );
      }
      await recordAudit(tx, auditActorOf(actor), {
        action: "signalement.create",
        subjectType: "Signalement",
        subjectId: id,
        after: {
          communeId: actor.organisation.id,
          bailleurs: bailleurs.map((b) => b.slug),
          publicCategory: input.publicCategory,
          followedElsewhere: !!elsewhere,
        },
      });
      return { id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("conflict", DUPLICATE_MESSAGE);
    throw error;
  }
}

/**
 * What the actor may list: the MEL every signalement; a commune its own; a bailleur those addressed to it.
 * Anything else gets the policy's 403 (never another commune's rows).
 */
/** A bailleur that does not reach every signalement lists them from its own addressee rows. */
const isBailleurView = (actor: Actor) =>
  actor.organisation.kind === "bailleur" && !reachesAll(actor.ability, "read", "Signalement");

function visibility(actor: Actor): SQL | undefined {
  ensureCan(actor.ability, "read", "Signalement");
  if (reachesAll(actor.ability, "read", "Signalement")) return undefined;
  if (actor.organisation.kind === "commune") return eq(signalements.communeId, actor.organisation.id);
  if (actor.organisation.kind === "bailleur")
    return sql`exists (select 1 from ${signalementBailleurs} where ${signalementBailleurs.signalementId} = ${signalements.id} and ${signalementBailleurs.bailleurId} = ${actor.organisation.id})`;
  return sql`false`;
}

/**
 * Rows per page of the board and of the API (keyset pages, `Link: rel="next"`): a screenful to act on; each row
 * costs its bytes on the wire, the bigger part of a list's time on the server.
 */
export const SIGNALEMENT_PAGE_SIZE = 50;

type Addressee = { name: string; slug: string; acknowledgedAt: string | null };

/** A signalement's addressed bailleurs by name, as JSON, in the list's own query (one statement per page). */
const addresseesJson = sql<Addressee[]>`(
  select coalesce(json_agg(json_build_object('name', o.name, 'slug', o.slug, 'acknowledgedAt',
    to_char(sb.acknowledged_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) order by o.name), '[]'::json)
  from ${signalementBailleurs} sb join ${organisations} o on o.id = sb.bailleur_id
  where sb.signalement_id = ${signalements.id})`;

/**
 * What a list shows of a signalement: enough to find and follow it (with its commune's name and its addressed
 * bailleurs), none of the household's own details (composition, wishes, resources, reason), which only its page
 * shows — and logs as read.
 */
const LIST_COLUMNS = {
  id: signalements.id,
  communeId: signalements.communeId,
  numeroUnique: signalements.numeroUnique,
  typology: signalements.typology,
  publicCategory: signalements.publicCategory,
  urgency: signalements.urgency,
  status: signalements.status,
  createdAt: signalements.createdAt,
  acknowledgedAt: signalements.acknowledgedAt,
  closedAt: signalements.closedAt,
  followedElsewhere: signalements.followedElsewhere,
  communeName: organisations.name,
  bailleurs: addresseesJson,
};

/**
 * The household's details of these signalements (exports), by id, among those the actor may see (the list's
 * visibility): the caller logs every one as read.
 */
export async function householdDetails(actor: Actor, ids: string[]) {
  const rows = ids.length
    ? await db
        .select({
          id: signalements.id,
          adults: signalements.adults,
          children: signalements.children,
          communesWanted: signalements.communesWanted,
          incomeQuartile: signalements.incomeQuartile,
        })
        .from(signalements)
        .where(and(inArray(signalements.id, ids), visibility(actor)))
    : [];
  return new Map(rows.map(({ id, ...details }) => [id, details]));
}

/** The start of the Paris day `day` (+ `plus` days), as an SQL instant. */
const parisMidnight = (day: string, plus = 0) =>
  sql`((${day}::date + ${plus}::int)::timestamp at time zone 'Europe/Paris')`;

/** The list's other filters (commune, bailleur, public, urgency, period), the same for every reader's query. */
function filterConditions(filters: SignalementFilters): Array<SQL | undefined> {
  if (filters.commune) ensureMelCommunes("commune", "Commune", [filters.commune]);
  return [
    filters.commune
      ? sql`${signalements.communeId} = (select id from ${organisations} where kind = 'commune' and insee_code = ${filters.commune})`
      : undefined,
    filters.bailleur
      ? sql`exists (select 1 from ${signalementBailleurs} f join ${organisations} fo on fo.id = f.bailleur_id where f.signalement_id = ${signalements.id} and fo.slug = ${filters.bailleur})`
      : undefined,
    filters.publicCategory ? eq(signalements.publicCategory, filters.publicCategory) : undefined,
    filters.urgency ? eq(signalements.urgency, filters.urgency) : undefined,
    filters.from ? sql`${signalements.createdAt} >= ${parisMidnight(filters.from)}` : undefined,
    filters.to ? sql`${signalements.createdAt} < ${parisMidnight(filters.to, 1)}` : undefined,
  ];
}

/**
 * One page of the signalements the actor may see, newest first, with commune and addressed bailleurs' names.
 * Keyset pagination: `after` is the id of the last row of the previous page (the next page starts right after it
 * in the list's order), so a page costs the same at any depth. A bailleur's list walks its own addressee rows
 * (index bailleur, status, created_at), never every signalement. The statement is prepared on each connection
 * (postgres.js keys it by its text: one per combination of filters), so PostgreSQL parses and plans a list once,
 * not on every call (PostgreSQL's log on the bench's data: 0.2 ms to parse and 1.1 ms to plan each call before).
 */
export async function listSignalements(
  actor: Actor,
  filters: SignalementFilters,
  options: { limit?: number } = {},
) {
  const limit = Math.min(options.limit ?? SIGNALEMENT_PAGE_SIZE, 10_000);
  const numeroUnique = filters.numeroUnique ? normaliseNumeroUnique(filters.numeroUnique) : undefined;
  const narrowing = filterConditions(filters);
  // The cursor row is looked up with the reader's visibility: another organisation's id gives an empty page.
  const cursor = filters.after
    ? sql`(select ${signalements.createdAt}, ${signalements.id} from ${signalements} where ${and(eq(signalements.id, filters.after), visibility(actor))})`
    : undefined;
  const rows = isBailleurView(actor)
    ? await db
        .select(LIST_COLUMNS)
        .from(signalementBailleurs)
        .innerJoin(signalements, eq(signalements.id, signalementBailleurs.signalementId))
        .innerJoin(organisations, eq(organisations.id, signalements.communeId))
        .where(
          and(
            eq(signalementBailleurs.bailleurId, actor.organisation.id),
            filters.status ? eq(signalementBailleurs.status, filters.status) : undefined,
            numeroUnique ? eq(signalements.numeroUnique, numeroUnique) : undefined,
            ...narrowing,
            cursor &&
              sql`(${signalementBailleurs.createdAt}, ${signalementBailleurs.signalementId}) < ${cursor}`,
          ),
        )
        .orderBy(desc(signalementBailleurs.createdAt), desc(signalementBailleurs.signalementId))
        .limit(limit)
        .prepare("signalements_page")
        .execute()
    : await db
        .select(LIST_COLUMNS)
        .from(signalements)
        .innerJoin(organisations, eq(organisations.id, signalements.communeId))
        .where(
          and(
            visibility(actor),
            filters.status ? eq(signalements.status, filters.status) : undefined,
            numeroUnique ? eq(signalements.numeroUnique, numeroUnique) : undefined,
            ...narrowing,
            cursor && sql`(${signalements.createdAt}, ${signalements.id}) < ${cursor}`,
          ),
        )
        .orderBy(desc(signalements.createdAt), desc(signalements.id))
        .limit(limit)
        .prepare("signalements_page")
        .execute();
  return rows.map((row) => present(actor, row));
}
export type SignalementListRow = Awaited<ReturnType<typeof listSignalements>>[number];

/** Counts by status stop at this many (shown « plus de 1 000 »): a board never counts millions of rows. */
export const STATUS_COUNT_CAP = 1000;

/**
 * Per status, how many signalements the actor may see, up to STATUS_COUNT_CAP + 1 (so "more than the cap" can be
 * told). One index range per status, each stopped at the cap: the cost does not grow with the table.
 */
export async function countByStatus(actor: Actor) {
  const capped = (status: SignalementStatus) =>
    isBailleurView(actor)
      ? sql`(select count(*) from (select 1 from ${signalementBailleurs} where ${and(
          eq(signalementBailleurs.bailleurId, actor.organisation.id),
          eq(signalementBailleurs.status, status),
        )} limit ${STATUS_COUNT_CAP + 1}) capped)::int`
      : sql`(select count(*) from (select 1 from ${signalements} where ${and(
          visibility(actor),
          eq(signalements.status, status),
        )} limit ${STATUS_COUNT_CAP + 1}) capped)::int`;
  const [row] = await queryRows<Record<SignalementStatus, number>>(
    sql`select ${sql.join(
      SIGNALEMENT_STATUSES.map((status) => sql`${capped(status)} as ${sql.identifier(status)}`),
      sql`, `,
    )}`,
  );
  return Object.fromEntries(
    SIGNALEMENT_STATUSES.filter((s) => Number(row?.[s] ?? 0) > 0).map((s) => [s, Number(row![s])]),
  ) as Partial<Record<SignalementStatus, number>>;
}

/**
 * The MEL board: per commune and per bailleur, how many signalements (open, total) and the median delays, in days,
 * from sending to acknowledgement and from sending to the end of the follow-up (lease signed, not retained, closed). Refused (403) for anyone who does not reach every signalement.
 */
export async function metropolitanStats(actor: Actor) {
  ensureCan(actor.ability, "read", "Signalement");
  if (!reachesAll(actor.ability, "read", "Signalement"))
    throw new DomainError("forbidden", "Tableau réservé à la MEL.");
  const delay = (ack: SQL | unknown, created: SQL | unknown) =>
    sql<
      number | null
    >`percentile_cont(0.5) within group (order by extract(epoch from (${ack} - ${created})) / 86400)`;
  const perCommune = await db
    .select({
      name: organisations.name,
      total: count(),
      open: sql<number>`count(*) filter (where ${signalements.closedAt} is null)`,
      medianAckDays: delay(signalements.acknowledgedAt, signalements.createdAt),
      medianCloseDays: delay(signalements.closedAt, signalements.createdAt),
    })
    .from(signalements)
    .innerJoin(organisations, eq(organisations.id, signalements.communeId))
    .groupBy(organisations.name)
    .orderBy(asc(organisations.name));
  const perBailleur = await db
    .select({
      name: organisations.name,
      total: count(),
      open: sql<number>`count(*) filter (where ${signalements.closedAt} is null)`,
      medianAckDays: delay(signalementBailleurs.acknowledgedAt, signalementBailleurs.createdAt),
      medianCloseDays: delay(signalements.closedAt, signalements.createdAt),
    })
    .from(signalementBailleurs)
    .innerJoin(signalements, eq(signalements.id, signalementBailleurs.signalementId))
    .innerJoin(organisations, eq(organisations.id, signalementBailleurs.bailleurId))
    .groupBy(organisations.name)
    .orderBy(asc(organisations.name));
  const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
  const shape = (r: {
    name: string;
    total: number;
    open: unknown;
    medianAckDays: unknown;
    medianCloseDays: unknown;
  }) => ({
    name: r.name,
    total: Number(r.total),
    open: Number(r.open),
    medianAckDays: round(r.medianAckDays),
    medianCloseDays: round(r.medianCloseDays),
  });
  return { perCommune: perCommune.map(shape), perBailleur: perBailleur.map(shape) };
}

/**
 * A household's detail, with its history and comments. 404 for anyone who may not read it (another commune, a
 * bailleur it is not addressed to, a malformed id). Every read is logged (who, for which organisation, when, how).
 */
export async function getSignalement(actor: Actor, id: string, via: "page" | "api" | "export" = "page") {
  const row = ensureCanOn(actor.ability, "read", "Signalement", await loadForPolicy(db, id), WHAT);
  await db.insert(signalementReads).values({
    signalementId: row.id,
    userId: actor.user.id,
    organisationId: actor.organisation.id,
    via,
  });
  const [commune] = await db
    .select({ name: organisations.name, slug: organisations.slug })
    .from(organisations)
    .where(eq(organisations.id, row.communeId));
  const byOrg = organisations;
  const events = await db
    .select({
      id: signalementEvents.id,
      type: signalementEvents.type,
      details: signalementEvents.details,
      at: signalementEvents.at,
      byName: users.name,
      byOrganisation: byOrg.name,
    })
    .from(signalementEvents)
    .leftJoin(users, eq(users.id, signalementEvents.byUserId))
    .leftJoin(byOrg, eq(byOrg.id, signalementEvents.byOrganisationId))
    .where(eq(signalementEvents.signalementId, row.id))
    .orderBy(asc(signalementEvents.at), asc(signalementEvents.id));
  const comments = await db
    .select({
      id: signalementComments.id,
      text: signalementComments.text,
      at: signalementComments.at,
      byName: users.name,
      byOrganisation: byOrg.name,
    })
    .from(signalementComments)
    .leftJoin(users, eq(users.id, signalementComments.byUserId))
    .leftJoin(byOrg, eq(byOrg.id, signalementComments.byOrganisationId))
    .where(eq(signalementComments.signalementId, row.id))
    .orderBy(asc(signalementComments.at), asc(signalementComments.id));
  const { partyIds: _p, addressees, ...signalement } = row;
  return {
    ...present(actor, signalement),
    communeName: commune?.name ?? "",
    bailleurs: addressees.map(({ name, slug, acknowledgedAt }) => ({ name, slug, acknowledgedAt })),
    events: events.map((e) => ({ ...e, details: e.details as EventDetails })),
    comments,
    /** Which side the reader is on, and so which steps they may record. */
    party: partyOf(actor, row),
    canUpdate: actor.ability.can("update", asSubject("Signalement", row)),
    /** Who handles it on the reader's side (null: nobody named, the admins are told). */
    myHandlerId:
      partyOf(actor, row) === "commune"
        ? row.handlerUserId
        : (row.addressees.find((a) => a.bailleurId === actor.organisation.id)?.handlerUserId ?? null),
  };
}
export type SignalementDetail = Awaited<ReturnType<typeof getSignalement>>;

/**
 * Records a follow-up step. The row is locked, so two steps at once are applied one after the other (the second is
 * checked against the first's status). 404 when the actor may not see it, 403 when they only read it, 409 for an
 * illegal jump, 400 for missing details; nothing changes on a refusal.
 */
export async function recordSignalementEvent(
  actor: Actor,
  id: string,
  input: SignalementEventInput,
  options: { baseUrl: string; now?: Date },
): Promise<{ status: SignalementStatus }> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const row = ensureCanOn(actor.ability, "update", "Signalement", await loadForPolicy(tx, id, true), WHAT);
    const party = partyOf(actor, row);
    if (!party)
      throw new DomainError(
        "forbidden",
        "Seuls la commune et les bailleurs destinataires saisissent le suivi.",
      );
    const { type, attribution, ...rest } = input;
    const details = Object.fromEntries(
      Object.entries(rest).filter(([, v]) => v !== undefined && v !== ""),
    ) as EventDetails;
    const mine = row.addressees.find((a) => a.bailleurId === actor.organisation.id);
    // Several bailleurs may be addressed: each acknowledges once; the status moves on the first acknowledgement.
    const lateAcknowledgement =
      type === "acknowledged" && party === "bailleur" && row.status !== "sent" && isOpenStatus(row.status);
    if (type === "acknowledged" && mine?.acknowledgedAt)
      throw new DomainError("conflict", "Votre organisation a déjà accusé réception de ce signalement.");
    if (!lateAcknowledgement) {
      const refusal = transitionError(row.status, type, party);
      if (refusal) throw new DomainError("conflict", refusal);
    }
    const errors = eventDetailsErrors(type, details, party, parisDay(now));
    if (errors.length) throw new DomainError("invalid", errors.join(" "), { form: errors[0]! });
    if (type === "presented_caleol")
      ensureMelCommunes("flatCommune", "Commune du logement", [details.flatCommune]);

    if (type === "lease_signed")
      details.attributionId = await leaseAttribution(tx, actor, row, details, attribution ?? {}, now);

    const status: SignalementStatus = lateAcknowledgement ? row.status : type;
    await tx
      .update(signalements)
      .set({
        status,
        updatedAt: now,
        acknowledgedAt: type === "acknowledged" ? (row.acknowledgedAt ?? now) : row.acknowledgedAt,
        closedAt: isOpenStatus(status) ? null : now,
      })
      .where(eq(signalements.id, row.id));
    // The addressee rows carry the status too (for each bailleur's list and counts).
    await tx
      .update(signalementBailleurs)
      .set({ status })
      .where(eq(signalementBailleurs.signalementId, row.id));
    if (type === "acknowledged" && mine)
      await tx
        .update(signalementBailleurs)
        .set({ acknowledgedAt: now })
        .where(
          and(
            eq(signalementBailleurs.signalementId, row.id),
            eq(signalementBailleurs.bailleurId, mine.bailleurId),
          ),
        );
    await tx.insert(signalementEvents).values({
      signalementId: row.id,
      type,
      details,
      byUserId: actor.user.id,
      byOrganisationId: actor.organisation.id,
      at: now,
    });
    const ref = refOf(row, options.baseUrl);
    await notifySides(tx, otherSides(row, party), ref, (to) =>
      signalementStepMail({
        to,
        organisationName: actor.organisation.name,
        stepLabel: STATUS_LABELS[type],
        ...ref,
      }),
    );
    await recordAudit(tx, auditActorOf(actor), {
      action: `signalement.${type}`,
      subjectType: "Signalement",
      subjectId: row.id,
      before: { status: row.status },
      after: { status, type },
    });
    return { status };
  });
}

/**
 * « Bail signé » is also the attribution, in one entry: what the signalement knows (numéro unique, lease date, the
 * flat's commune and typology from the CALEOL step, public, income quartile) completed by the bailleur's fields
 * (QPV, financing, PMR, contingent…). The same lease already recorded by the bailleur is linked, not doubled.
 */
async function leaseAttribution(
  tx: Db,
  actor: Actor,
  row: Loaded,
  details: EventDetails,
  fields: Record<string, unknown>,
  now: Date,
): Promise<string> {
  const [caleol] = await tx
    .select({ details: signalementEvents.details })
    .from(signalementEvents)
    .where(and(eq(signalementEvents.signalementId, row.id), eq(signalementEvents.type, "presented_caleol")))
    .orderBy(desc(signalementEvents.at))
    .limit(1);
  const flat = (caleol?.details ?? {}) as EventDetails;
  const { id } = await recordAttributionIn(
    tx,
    actor,
    {
      communeInsee: flat.flatCommune,
      typology: flat.flatTypology ?? row.typology,
      publicCategory: row.publicCategory,
      incomeQuartile: row.incomeQuartile ?? "",
      ...fields,
      numeroUnique: row.numeroUnique,
      leaseDate: details.signedOn,
      bailleurSlug: actor.organisation.slug,
    },
    now,
  );
  return id;
}

/**
 * The commune completes or corrects its signalement while no bailleur has acknowledged it; afterwards the bailleurs
 * work on what they received, and the commune adds a comment or a bailleur instead (409 says so).
 */
export async function correctSignalement(
  actor: Actor,
  id: string,
  input: SignalementCorrection,
  options: { now?: Date } = {},
): Promise<void> {
  await db.transaction(async (tx) => {
    const row = ensureCanOn(actor.ability, "update", "Signalement", await loadForPolicy(tx, id, true), WHAT);
    if (!isAuthor(actor, row))
      throw new DomainError("forbidden", "Seule la commune qui a signalé le ménage corrige son signalement.");
    if (row.status !== "sent" || row.addressees.some((a) => a.acknowledgedAt))
      throw new DomainError(
        "conflict",
        "Un bailleur a déjà accusé réception de ce signalement : il ne se corrige plus. Ajoutez un commentaire ou un bailleur.",
      );
    const codes = [...new Set(input.communesWanted)];
    ensureMelCommunes("communesWanted", "Communes souhaitées", codes);
    const after = { ...input, communesWanted: codes, incomeQuartile: input.incomeQuartile ?? null };
    await tx
      .update(signalements)
      .set({ ...after, updatedAt: options.now ?? new Date() })
      .where(eq(signalements.id, row.id));
    await recordAudit(tx, auditActorOf(actor), {
      action: "signalement.correct",
      subjectType: "Signalement",
      subjectId: row.id,
      before: { typology: row.typology, communesWanted: row.communesWanted, urgency: row.urgency },
      after: { typology: after.typology, communesWanted: codes, urgency: after.urgency },
    });
  });
}

/** The commune addresses its open signalement to one more bailleur, which is told like the first ones. */
export async function addSignalementBailleur(
  actor: Actor,
  id: string,
  bailleurSlug: string,
  options: { baseUrl: string; now?: Date },
): Promise<void> {
  const now = options.now ?? new Date();
  await db.transaction(async (tx) => {
    const row = ensureCanOn(actor.ability, "update", "Signalement", await loadForPolicy(tx, id, true), WHAT);
    if (!isAuthor(actor, row))
      throw new DomainError(
        "forbidden",
        "Seule la commune qui a signalé le ménage l'adresse à un autre bailleur.",
      );
    if (!isOpenStatus(row.status)) throw new DomainError("conflict", "Ce signalement est terminé.");
    const [bailleur] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.slug, bailleurSlug), eq(organisations.kind, "bailleur")));
    if (!bailleur)
      throw new DomainError("invalid", `Bailleur inconnu : ${bailleurSlug}.`, {
        bailleurSlug: "Bailleur inconnu.",
      });
    if (row.addressees.some((a) => a.bailleurId === bailleur.id))
      throw new DomainError("conflict", "Ce bailleur a déjà reçu ce signalement.");
    await tx
      .insert(signalementBailleurs)
      .values({ signalementId: row.id, bailleurId: bailleur.id, status: row.status, createdAt: now });
    const ref = refOf(row, options.baseUrl);
    await notifySides(tx, [{ organisationId: bailleur.id, handlerUserId: null }], ref, (to) =>
      signalementReceivedMail({ to, ...ref }),
    );
    await recordAudit(tx, auditActorOf(actor), {
      action: "signalement.add_bailleur",
      subjectType: "Signalement",
      subjectId: row.id,
      after: { bailleur: bailleurSlug },
    });
  });
}

/** Adds a comment to the thread between the commune and the bailleurs; the other side is told by mail. */
export async function addSignalementComment(
  actor: Actor,
  id: string,
  text: string,
  options: { baseUrl: string; now?: Date },
): Promise<{ id: string }> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const row = ensureCanOn(actor.ability, "update", "Signalement", await loadForPolicy(tx, id), WHAT);
    const party = partyOf(actor, row);
    if (!party)
      throw new DomainError(
        "forbidden",
        "Seuls la commune et les bailleurs destinataires commentent un signalement.",
      );
    if (row.anonymisedAt)
      throw new DomainError("gone", "Ce signalement a été anonymisé : il ne peut plus être commenté.");
    const [comment] = await tx
      .insert(signalementComments)
      .values({
        signalementId: row.id,
        text,
        byUserId: actor.user.id,
        byOrganisationId: actor.organisation.id,
        at: now,
      })
      .returning({ id: signalementComments.id });
    const ref = refOf(row, options.baseUrl);
    await notifySides(tx, otherSides(row, party), ref, (to) =>
      signalementCommentMail({ to, organisationName: actor.organisation.name, ...ref }),
    );
    await recordAudit(tx, auditActorOf(actor), {
      action: "signalement.comment",
      subjectType: "Signalement",
      subjectId: row.id,
      after: { commentId: comment!.id },
    });
    return { id: comment!.id };
  });
}

/**
 * Names who handles the signalement on the actor's side (null: nobody, the admins are told). Only a party that may
 * update it does so, and only for one of its organisation's active members (400 otherwise).
 */
export async function assignSignalementHandler(
  actor: Actor,
  id: string,
  userId: string | null,
): Promise<void> {
  await db.transaction(async (tx) => {
    const row = ensureCanOn(actor.ability, "update", "Signalement", await loadForPolicy(tx, id, true), WHAT);
    const party = partyOf(actor, row);
    if (!party)
      throw new DomainError(
        "forbidden",
        "Seuls la commune et les bailleurs destinataires désignent qui suit le signalement.",
      );
    if (userId && !(await handlerChoices(actor, tx)).some((m) => m.id === userId))
      throw new DomainError("invalid", "Choisissez un membre actif de votre organisation.", {
        handlerUserId: "Choisissez un membre actif de votre organisation.",
      });
    const before =
      party === "commune"
        ? row.handlerUserId
        : (row.addressees.find((a) => a.bailleurId === actor.organisation.id)?.handlerUserId ?? null);
    if (party === "commune")
      await tx.update(signalements).set({ handlerUserId: userId }).where(eq(signalements.id, row.id));
    else
      await tx
        .update(signalementBailleurs)
        .set({ handlerUserId: userId })
        .where(
          and(
            eq(signalementBailleurs.signalementId, row.id),
            eq(signalementBailleurs.bailleurId, actor.organisation.id),
          ),
        );
    await recordAudit(tx, auditActorOf(actor), {
      action: "signalement.handler",
      subjectType: "Signalement",
      subjectId: row.id,
      before: { handlerUserId: before },
      after: { handlerUserId: userId },
    });
  });
}

/** The actor's organisation's active members who may handle a signalement (not the read-only ones), by name. */
export const handlerChoices = (actor: Actor, tx: Db = db) =>
  activeMembersWithRoles(actor, ["admin", "gestionnaire"], tx);

/** Each user chooses how signalement news reach them: a mail each time, or one daily digest. */
export async function setSignalementMailMode(actor: Actor, mode: "immediate" | "digest"): Promise<void> {
  ensureCan(actor.ability, "read", "Signalement");
  await db.transaction(async (tx) => {
    await tx.update(users).set({ signalementMails: mode }).where(eq(users.id, actor.user.id));
    await recordAudit(tx, auditActorOf(actor), {
      action: "user.signalement_mails",
      subjectType: "User",
      subjectId: actor.user.id,
      after: { signalementMails: mode },
    });
  });
}

export async function signalementMailMode(actor: Actor) {
  const [row] = await db
    .select({ mode: users.signalementMails })
    .from(users)
    .where(eq(users.id, actor.user.id));
  return row?.mode ?? "immediate";
}

/** The date `months` months before `now` (the end of the retention period). */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

/**
 * Anonymises signalements closed for longer than the retention period (env `SIGNALEMENT_RETENTION_MONTHS`,
 * 24 by default): clears the numéro unique, the reason, the comments' text and the free text of the history.
 * Idempotent and safe concurrently: rows are claimed with FOR UPDATE SKIP LOCKED and only those not yet
 * anonymised are touched. Counts, categories and dates stay for the reporting.
 */
export async function anonymiseClosedSignalements(
  now = new Date(),
  options: { months?: number; batch?: number } = {},
): Promise<{ anonymised: number }> {
  const cutoff = retentionCutoff(now, options.months ?? retentionMonths());
  let anonymised = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const claimed = await tx
        .select({ id: signalements.id })
        .from(signalements)
        .where(and(isNull(signalements.anonymisedAt), lt(signalements.closedAt, cutoff)))
        .orderBy(asc(signalements.closedAt))
        .limit(options.batch ?? 500)
        .for("update", { skipLocked: true });
      if (claimed.length === 0) return 0;
      const ids = claimed.map((c) => c.id);
      const updated = await tx
        .update(signalements)
        .set({ numeroUnique: null, reason: null, anonymisedAt: now })
        .where(and(inArray(signalements.id, ids), isNull(signalements.anonymisedAt)))
        .returning({ id: signalements.id });
      const updatedIds = updated.map((u) => u.id);
      if (updatedIds.length === 0) return 0;
      await tx
        .update(signalementComments)
        .set({ text: null })
        .where(inArray(signalementComments.signalementId, updatedIds));
      await tx
        .update(signalementEvents)
        .set({ details: sql`${signalementEvents.details} - 'reason' - 'note'` })
        .where(inArray(signalementEvents.signalementId, updatedIds));
      // One statement for the batch's audit rows, not one per row (400 000 inserts for the national pass).
      await recordAudits(
        tx,
        SYSTEM_ACTOR,
        updatedIds.map((id) => ({
          action: "signalement.anonymise",
          subjectType: "Signalement",
          subjectId: id,
          after: { anonymisedAt: now.toISOString() },
        })),
      );
      return updatedIds.length;
    });
    anonymised += done;
    if (done === 0) break;
  }
  return { anonymised };
}

/** Logs, in one statement, that these households were read in a list export (personal data: every read logged). */
export async function logSignalementReads(actor: Actor, ids: string[], via: "export"): Promise<void> {
  if (ids.length === 0) return;
  await db.insert(signalementReads).values(
    ids.map((id) => ({
      signalementId: id,
      userId: actor.user.id,
      organisationId: actor.organisation.id,
      via,
    })),
  );
}
