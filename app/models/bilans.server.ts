import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { type Db, db, queryRows } from "#db/client.server";
import { attributions, bilanReminders, bilans, organisations } from "#db/schema";
import { enqueueMails } from "#emails/outbox.server";
import { bilanReminderMail, bilanSentMail } from "#emails/templates";
import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import {
  BILAN_DIMENSIONS,
  type BilanDimension,
  type BilanFigures,
  bilanLastDay,
  bilanRemindersDue,
  bilanStatus,
  bilanValueLabel,
  bilanYearDue,
  proposedError,
} from "~/domain/bilan";
import type { Actor } from "~/lib/actor.server";
import { auditActorOf } from "~/lib/actor.server";
import { recordAudit, SYSTEM_ACTOR } from "~/lib/audit.server";
import { formatDay } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import { publicUrl } from "~/lib/route-params.server";
import { contingentPairs } from "./contingents.server";
import { memberEmails } from "./members.server";

/**
 * Bilans annuels (decree 2020-145; 004 Titre 5): each bailleur sends each of its réservataires the bilan of the
 * previous year (flats attributed on its contingent, by typology, financing, in/out QPV, commune and construction
 * period), the réservataire acknowledges it; February reminders. Rules in app/domain/bilan.ts.
 */

type BilanRow = typeof bilans.$inferSelect;

/** The policy's view of a bilan: the bailleur's, addressed to the réservataire. */
export const bilanSubject = (row: { bailleurId: string; reservataireId: string }) => ({
  organisationId: row.bailleurId,
  partyIds: [row.bailleurId, row.reservataireId],
});

const yearOf = (year: number) =>
  sql`${attributions.leaseDate} >= ${`${year}-01-01`} and ${attributions.leaseDate} < ${`${year + 1}-01-01`}`;

/**
 * The figures of the actor's bilan (its organisation the bailleur) to a réservataire, as they stand: one GROUPING
 * SETS query over its attributions on the contingent. Frozen when sent; until then only the bailleur sees them.
 */
export async function bilanFigures(
  actor: Actor,
  reservataireId: string,
  year: number,
): Promise<BilanFigures> {
  const bailleurId = actor.organisation.id;
  ensureCanOn(actor.ability, "read", "Bilan", bilanSubject({ bailleurId, reservataireId }), "Ce bilan");
  const rows = await queryRows<{
    typology: string | null;
    financing: string | null;
    qpv: boolean | null;
    commune: string | null;
    construction_period: string | null;
    public_class: string | null;
    set: number;
    n: number;
  }>(sql`
    select typology, financing, qpv, commune_insee as commune, construction_period,
      attribution_public_class(public_category, rehousing) as public_class,
      grouping(typology, financing, qpv, commune_insee, construction_period,
        attribution_public_class(public_category, rehousing))::int as set, count(*)::int as n
    from ${attributions}
    where ${attributions.bailleurId} = ${bailleurId} and ${attributions.reservataireId} = ${reservataireId}
      and ${yearOf(year)} and not ${attributions.countedElsewhere}
    group by grouping sets ((typology), (financing), (qpv), (commune_insee), (construction_period),
      (attribution_public_class(public_category, rehousing)))
    order by 7, 1, 2, 3, 4, 5, 6`);
  // grouping() sets a bit per column left out of the set: 0b011111 is the typology set, 0b101111 financing, etc.
  const SET_OF: Record<number, BilanDimension> = {
    31: "typology",
    47: "financing",
    55: "qpv",
    59: "commune",
    61: "constructionPeriod",
    62: "publicClass",
  };
  const communes = new Map(
    (
      await db
        .select({ code: organisations.inseeCode, name: organisations.name })
        .from(organisations)
        .where(
          inArray(
            organisations.inseeCode,
            rows.filter((r) => r.commune !== null).map((r) => r.commune!),
          ),
        )
    ).map((c) => [c.code!, c.name]),
  );
  const by = Object.fromEntries(BILAN_DIMENSIONS.map((d) => [d.key, []])) as unknown as Required<
    BilanFigures["by"]
  >;
  for (const row of rows) {
    const dimension = SET_OF[row.set];
    if (!dimension) continue;
    const raw = {
      typology: row.typology,
      financing: row.financing,
      qpv: row.qpv,
      commune: row.commune,
      constructionPeriod: row.construction_period,
      publicClass: row.public_class,
    }[dimension];
    const key = String(raw);
    by[dimension].push({ key, label: bilanValueLabel(dimension, key, communes.get(key)), count: row.n });
  }
  return { total: by.typology.reduce((sum, r) => sum + r.count, 0), by };
}

type Named = { id: string; slug: string; name: string };
type OwedPair = { bailleur: Named; reservataire: Named };

/**
 * The bilans owed for `year` by one bailleur or to one réservataire: the contingent pairs of that year, and any
 * holder of attributions on the bailleur that year.
 */
async function owedPairs(
  year: number,
  party: { bailleurId: string } | { reservataireId: string },
  tx: Db = db,
): Promise<OwedPair[]> {
  const byBailleur = "bailleurId" in party;
  const [pairs, holders] = await Promise.all([
    contingentPairs(tx, { year, ...(byBailleur ? { bailleurId: party.bailleurId } : {}) }),
    tx
      .selectDistinct({ bailleurId: attributions.bailleurId, reservataireId: attributions.reservataireId })
      .from(attributions)
      .where(
        and(
          byBailleur
            ? eq(attributions.bailleurId, party.bailleurId)
            : eq(attributions.reservataireId, party.reservataireId),
          isNotNull(attributions.reservataireId),
          yearOf(year),
        ),
      ),
  ]);
  const key = (b: string, r: string) => `${b}|${r}`;
  const owed = new Map<string, OwedPair>();
  for (const p of pairs)
    if (byBailleur ? p.bailleur.id === party.bailleurId : p.reservataire.id === party.reservataireId)
      owed.set(key(p.bailleur.id, p.reservataire.id), {
        bailleur: { id: p.bailleur.id, slug: p.bailleur.slug, name: p.bailleur.name },
        reservataire: { id: p.reservataire.id, slug: p.reservataire.slug, name: p.reservataire.name },
      });
  const missing = holders.filter((h) => !owed.has(key(h.bailleurId, h.reservataireId!)));
  if (missing.length > 0) {
    const ids = [...new Set(missing.flatMap((h) => [h.bailleurId, h.reservataireId!]))];
    const orgs = new Map(
      (
        await tx
          .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
          .from(organisations)
          .where(inArray(organisations.id, ids))
      ).map((o) => [o.id, o]),
    );
    for (const h of missing)
      owed.set(key(h.bailleurId, h.reservataireId!), {
        bailleur: orgs.get(h.bailleurId)!,
        reservataire: orgs.get(h.reservataireId!)!,
      });
  }
  return [...owed.values()];
}

/**
 * The bilans board (004 l. 447): for a bailleur, one line per réservataire it owes a bilan; for a réservataire (the
 * MEL among them), one line per bailleur that owes it one — who sent, who is late, who has not. Rows the actor may
 * not read never leave the database.
 */
export async function bilanBoard(actor: Actor, year: number, now = new Date()) {
  ensureCan(actor.ability, "read", "Bilan");
  const orgId = actor.organisation.id;
  const isBailleur = actor.organisation.kind === "bailleur";
  const [pairs, sent] = await Promise.all([
    owedPairs(year, isBailleur ? { bailleurId: orgId } : { reservataireId: orgId }),
    db
      .select()
      .from(bilans)
      .where(
        and(
          eq(bilans.year, year),
          isBailleur ? eq(bilans.bailleurId, orgId) : eq(bilans.reservataireId, orgId),
        ),
      ),
  ]);
  const rows = pairs
    .map((pair) => {
      const bilan =
        sent.find((b) => b.bailleurId === pair.bailleur.id && b.reservataireId === pair.reservataire.id) ??
        null;
      return {
        ...pair,
        counterpart: isBailleur ? pair.reservataire : pair.bailleur,
        bilan: bilan && { ...bilan, attributed: (bilan.figures as BilanFigures).total },
        status: bilanStatus(year, bilan?.sentAt ?? null, now),
        canAcknowledge:
          bilan !== null &&
          bilan.acknowledgedAt === null &&
          actor.ability.can("update", asSubject("Bilan", bilanSubject(bilan))),
      };
    })
    .sort((a, b) => a.counterpart.name.localeCompare(b.counterpart.name, "fr"));
  const yearOver = year <= bilanYearDue(now);
  return {
    year,
    organisationId: orgId,
    lastDay: bilanLastDay(year),
    isBailleur,
    yearOver,
    // « Transmettre » only once the year is over (the action refuses it otherwise too).
    canSend:
      isBailleur &&
      yearOver &&
      actor.ability.can("create", asSubject("Bilan", { organisationId: orgId, partyIds: [orgId] })),
    rows,
  };
}

/** Sends the bilan of `year` to one réservataire: figures frozen, audit and mail in the same transaction. */
export async function sendBilan(
  actor: Actor,
  input: { reservataireId: string; year: number; proposed: unknown },
  options: { baseUrl: string; now?: Date },
): Promise<BilanRow> {
  const now = options.now ?? new Date();
  const bailleurId = actor.organisation.id;
  ensureCanOn(
    actor.ability,
    "create",
    "Bilan",
    bilanSubject({ bailleurId, reservataireId: input.reservataireId }),
  );
  if (input.year > bilanYearDue(now))
    throw new DomainError(
      "conflict",
      `L'année ${input.year} n'est pas terminée : son bilan se transmet à partir du 1er janvier ${input.year + 1}.`,
    );
  const proposed = proposedError(input.proposed);
  if (proposed) throw new DomainError("invalid", proposed, { proposed });
  // Read just before the transaction (PGlite has a single connection): the bilan freezes the figures as read.
  const figures = await bilanFigures(actor, input.reservataireId, input.year);
  return db.transaction(async (tx) => {
    const reservataire = (await owedPairs(input.year, { bailleurId }, tx)).find(
      (p) => p.reservataire.id === input.reservataireId,
    )?.reservataire;
    if (!reservataire)
      throw new DomainError(
        "not_found",
        "Ce réservataire n'a pas de contingent chez vous : aucun bilan à lui transmettre.",
      );
    const [row] = await tx
      .insert(bilans)
      .values({
        bailleurId,
        reservataireId: input.reservataireId,
        year: input.year,
        figures,
        proposed: input.proposed as number,
        sentAt: now,
        sentBy: actor.user.id,
      })
      .onConflictDoNothing({ target: [bilans.bailleurId, bilans.reservataireId, bilans.year] })
      .returning();
    if (!row)
      throw new DomainError("conflict", `Le bilan ${input.year} a déjà été transmis à ${reservataire.name}.`);
    await recordAudit(tx, auditActorOf(actor), {
      action: "bilan.send",
      subjectType: "Bilan",
      subjectId: row.id,
      after: {
        reservataireId: input.reservataireId,
        year: input.year,
        total: figures.total,
        proposed: input.proposed,
      },
    });
    const recipients = await memberEmails(
      tx,
      [input.reservataireId],
      ["admin", "signataire", "gestionnaire"],
    );
    await enqueueMails(
      tx,
      recipients.map((r) =>
        bilanSentMail({
          to: r.email,
          bailleurName: actor.organisation.name,
          year: input.year,
          url: `${options.baseUrl}/bilans?year=${input.year}`,
        }),
      ),
    );
    return row;
  });
}

async function getBilan(id: string) {
  const [row] = await db.select().from(bilans).where(eq(bilans.id, id));
  return row;
}

/** The réservataire acknowledges a bilan it received (once). */
export async function acknowledgeBilan(actor: Actor, id: string, now = new Date()) {
  const row = await getBilan(id);
  ensureCanOn(
    actor.ability,
    "update",
    "Bilan",
    row ? { ...row, ...bilanSubject(row) } : undefined,
    "Ce bilan",
  );
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(bilans)
      .set({ acknowledgedAt: now, acknowledgedBy: actor.user.id })
      .where(and(eq(bilans.id, id), sql`${bilans.acknowledgedAt} is null`))
      .returning();
    if (!updated) throw new DomainError("conflict", "Ce bilan a déjà fait l'objet d'un accusé de réception.");
    await recordAudit(tx, auditActorOf(actor), {
      action: "bilan.acknowledge",
      subjectType: "Bilan",
      subjectId: id,
    });
    return updated;
  });
}

/**
 * A bilan for download: the sent one (frozen figures) when it exists, else, for its bailleur only, the figures as
 * they stand (a draft to check before sending).
 */
export async function readableBilan(
  actor: Actor,
  input: { bailleurId: string; reservataireId: string; year: number },
) {
  const subject = bilanSubject(input);
  ensureCanOn(actor.ability, "read", "Bilan", subject, "Ce bilan");
  const [row] = await db
    .select()
    .from(bilans)
    .where(
      and(
        eq(bilans.bailleurId, input.bailleurId),
        eq(bilans.reservataireId, input.reservataireId),
        eq(bilans.year, input.year),
      ),
    );
  if (!row && input.bailleurId !== actor.organisation.id)
    throw new DomainError("not_found", "Ce bilan n'a pas encore été transmis.");
  const parties = new Map(
    (
      await db
        .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
        .from(organisations)
        .where(inArray(organisations.id, [input.bailleurId, input.reservataireId]))
    ).map((o) => [o.id, o]),
  );
  return {
    year: input.year,
    bailleur: parties.get(input.bailleurId)!,
    reservataire: parties.get(input.reservataireId)!,
    sentAt: row?.sentAt ?? null,
    proposed: row?.proposed ?? null,
    figures:
      (row?.figures as BilanFigures | undefined) ??
      (await bilanFigures(actor, input.reservataireId, input.year)),
  };
}

export type ReadableBilan = Awaited<ReturnType<typeof readableBilan>>;

/**
 * February reminders (job): each bailleur that has not sent every bilan of the previous year gets each reminder due
 * once — the unique (bailleur, year, kind) row is claimed in the same transaction as the mail.
 */
export async function remindBilans(now: Date, baseUrl = publicUrl()): Promise<number> {
  const kinds = bilanRemindersDue(now);
  if (kinds.length === 0) return 0;
  const year = bilanYearDue(now);
  return db.transaction(async (tx) => {
    const pairs = await contingentPairs(tx, { year });
    const sent = await tx
      .select({ bailleurId: bilans.bailleurId, reservataireId: bilans.reservataireId })
      .from(bilans)
      .where(eq(bilans.year, year));
    const done = new Set(sent.map((s) => `${s.bailleurId}|${s.reservataireId}`));
    const missing = new Map<string, number>();
    for (const p of pairs)
      if (!done.has(`${p.bailleur.id}|${p.reservataire.id}`))
        missing.set(p.bailleur.id, (missing.get(p.bailleur.id) ?? 0) + 1);
    if (missing.size === 0) return 0;
    let queued = 0;
    for (const kind of kinds) {
      const claimed = await tx
        .insert(bilanReminders)
        .values([...missing.keys()].map((bailleurId) => ({ bailleurId, year, kind, sentAt: now })))
        .onConflictDoNothing()
        .returning({ bailleurId: bilanReminders.bailleurId });
      const recipients = await memberEmails(
        tx,
        claimed.map((c) => c.bailleurId),
        ["admin", "signataire", "gestionnaire"],
      );
      const lastDay = formatDay(bilanLastDay(year));
      await enqueueMails(
        tx,
        recipients.map((r) =>
          bilanReminderMail({
            to: r.email,
            year,
            lastDay,
            missing: missing.get(r.organisationId) ?? 0,
            url: `${baseUrl}/bilans?year=${year}`,
          }),
        ),
      );
      if (claimed.length > 0)
        await recordAudit(tx, SYSTEM_ACTOR, {
          action: "bilan.remind",
          subjectType: "Bilan",
          after: { year, kind, bailleurs: claimed.length },
        });
      queued += recipients.length;
    }
    return queued;
  });
}
