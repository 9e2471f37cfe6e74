import { and, asc, eq, gte, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Db, db } from "#db/client.server";
import {
  deliveryUpdateRequests,
  organisations,
  programmeAllocations,
  programmeFlats,
  programmeRecommendations,
  programmes,
  users,
} from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import { deliveryUpdateRequestMail, programmeDeclaredMail } from "#emails/templates";
import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn, reachesAll } from "#policies/guard.server";
import {
  currentDeliveryCampaign,
  DELIVERY_CAMPAIGN_LABELS,
  type DeliveryCampaignMonth,
  deliveryCampaignKey,
} from "~/domain/obligations";
import {
  type Allocation,
  consolidateDeliveries,
  type DeliveryPeriod,
  type FlatGroup,
  flatKey,
  isLateDeclaration,
  periodBounds,
  proposeSplit,
  splitErrors,
} from "~/domain/programme";
import type { Actor } from "~/lib/actor.server";
import { recordAudit } from "~/lib/audit.server";
import { formatDay, parisDay } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import type { ProgrammeInput, SplitInput } from "~/lib/programme-schemas";
import { isUuid } from "~/lib/route-params.server";
import { contingentPairs } from "./contingents.server";
import { recipients } from "./members.server";

const PROGRAMME = "Ce programme";
const bailleurs = alias(organisations, "bailleur");
const auditOf = (actor: Actor) => ({ userId: actor.user.id, organisationId: actor.organisation.id });

type Pairs = Awaited<ReturnType<typeof contingentPairs>>;

/** The réservataires holding a contingent on the bailleur (contingentPairs, the one rule), with their rates. */
const entitledOn = (pairs: Pairs, bailleurId: string) => pairs.filter((p) => p.bailleur.id === bailleurId);

async function communeOrganisation(tx: Db, insee: string) {
  const [row] = await tx
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(and(eq(organisations.kind, "commune"), eq(organisations.inseeCode, insee)));
  return row;
}

/** A programme row as the policies see it: its bailleur and every party (réservataires concerned, commune). */
function asPolicyRow<T extends { bailleurId: string }>(row: T, pairs: Pairs, communeId: string | undefined) {
  const partyIds = [
    row.bailleurId,
    ...entitledOn(pairs, row.bailleurId).map((p) => p.reservataire.id),
    ...(communeId ? [communeId] : []),
  ];
  return { ...row, organisationId: row.bailleurId, partyIds };
}

/** Merges lines describing the same kind of flat. */
function mergeFlats(flats: FlatGroup[]): FlatGroup[] {
  const merged = new Map<string, FlatGroup>();
  for (const f of flats) {
    const existing = merged.get(flatKey(f));
    if (existing) existing.count += f.count;
    else merged.set(flatKey(f), { ...f });
  }
  return [...merged.values()];
}

/**
 * A bailleur declares a programme (004 l. 296): checks the commune (one of the MEL's) and the date (not in the past),
 * computes the proposed split from the rates of the réservataires holding a contingent on it, flags a declaration
 * less than three months before first letting, tells the réservataires concerned, and counts as an update of its
 * coming deliveries for the running campaign. `announceOnly`: a coming delivery, declared later.
 */
export async function createProgramme(
  actor: Actor,
  input: ProgrammeInput,
  options: { now?: Date; baseUrl: string },
): Promise<{ id: string; lateDeclaration: boolean }> {
  ensureCan(actor.ability, "create", "Programme");
  const now = options.now ?? new Date();
  if (input.firstLettingDate < parisDay(now))
    throw new DomainError(
      "invalid",
      "La date de première mise en location est passée : indiquez une date à venir (aujourd'hui ou plus tard).",
      { firstLettingDate: "Date passée : indiquez une date à venir." },
    );
  return db.transaction(async (tx) => {
    const commune = await communeOrganisation(tx, input.communeInsee);
    if (!commune)
      throw new DomainError("invalid", `La commune ${input.communeInsee} n'est pas une commune de la MEL.`, {
        communeInsee: "Choisissez une commune de la Métropole Européenne de Lille.",
      });
    const flats = mergeFlats(input.flats);
    const declared = !input.announceOnly;
    const pairs = await contingentPairs(tx);
    const [row] = await tx
      .insert(programmes)
      .values({
        bailleurId: actor.organisation.id,
        communeInsee: input.communeInsee,
        name: input.name,
        address: input.address,
        firstLettingDate: input.firstLettingDate,
        status: declared ? "declared" : "announced",
        declaredAt: declared ? now : null,
        lateDeclaration: declared && isLateDeclaration(input.firstLettingDate, now),
        proposedSplit: declared ? splitFor(flats, pairs, actor.organisation.id) : null,
        createdBy: actor.user.id,
        createdAt: now,
      })
      .returning();
    const programme = row!;
    await tx.insert(programmeFlats).values(flats.map((f) => ({ ...f, programmeId: programme.id })));
    await recordAudit(tx, auditOf(actor), {
      action: declared ? "programme.declare" : "programme.announce",
      subjectType: "Programme",
      subjectId: programme.id,
      after: { ...input, flats, lateDeclaration: programme.lateDeclaration },
    });
    if (declared) await notifyReservataires(tx, actor, programme, commune.name, pairs, options.baseUrl);
    await markDeliveriesUpdated(tx, actor, now);
    return { id: programme.id, lateDeclaration: programme.lateDeclaration };
  });
}

const splitFor = (flats: FlatGroup[], pairs: Pairs, bailleurId: string): Allocation[] =>
  proposeSplit(
    flats,
    entitledOn(pairs, bailleurId).map((p) => ({ id: p.reservataire.id, rateBp: p.rateBp })),
  );

async function notifyReservataires(
  tx: Db,
  actor: Actor,
  programme: typeof programmes.$inferSelect,
  communeName: string,
  pairs: Pairs,
  baseUrl: string,
) {
  const ids = entitledOn(pairs, programme.bailleurId).map((p) => p.reservataire.id);
  if (ids.length === 0) return;
  for (const to of await recipients(tx, ids))
    await enqueueMail(
      tx,
      programmeDeclaredMail({
        to,
        bailleurName: actor.organisation.name,
        programmeName: programme.name,
        communeName,
        firstLettingOn: formatDay(programme.firstLettingDate),
        url: `${baseUrl}/programmes/${programme.id}`,
      }),
    );
}

/** The bailleur declares a programme it had only announced (same rules as a declaration at creation). */
export async function declareProgramme(
  actor: Actor,
  id: string,
  options: { now?: Date; baseUrl: string },
): Promise<{ lateDeclaration: boolean }> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const pairs = await contingentPairs(tx);
    const programme = await loadForUpdate(tx, actor, id, pairs);
    if (programme.status !== "announced") throw new DomainError("conflict", "Ce programme est déjà déclaré.");
    if (programme.firstLettingDate < parisDay(now))
      throw new DomainError(
        "invalid",
        "La date de première mise en location est passée : corrigez-la avant de déclarer le programme.",
      );
    const flats = await flatsOf(tx, programme.id);
    const lateDeclaration = isLateDeclaration(programme.firstLettingDate, now);
    await tx
      .update(programmes)
      .set({
        status: "declared",
        declaredAt: now,
        lateDeclaration,
        proposedSplit: splitFor(flats, pairs, programme.bailleurId),
        updatedAt: now,
      })
      .where(eq(programmes.id, programme.id));
    await recordAudit(tx, auditOf(actor), {
      action: "programme.declare",
      subjectType: "Programme",
      subjectId: programme.id,
      after: { lateDeclaration },
    });
    const commune = await communeOrganisation(tx, programme.communeInsee);
    await notifyReservataires(
      tx,
      actor,
      programme,
      commune?.name ?? programme.communeInsee,
      pairs,
      options.baseUrl,
    );
    await markDeliveriesUpdated(tx, actor, now);
    return { lateDeclaration };
  });
}

async function loadRow(tx: Db, id: string, pairs: Pairs, lock = false) {
  if (!isUuid(id)) return undefined;
  const query = tx.select().from(programmes).where(eq(programmes.id, id));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) return undefined;
  const commune = await communeOrganisation(tx, row.communeInsee);
  return asPolicyRow(row, pairs, commune?.id);
}

async function loadForUpdate(tx: Db, actor: Actor, id: string, pairs: Pairs) {
  return ensureCanOn(actor.ability, "update", "Programme", await loadRow(tx, id, pairs, true), PROGRAMME);
}

async function flatsOf(tx: Db, programmeId: string): Promise<FlatGroup[]> {
  return tx
    .select({
      typology: programmeFlats.typology,
      financing: programmeFlats.financing,
      pmr: programmeFlats.pmr,
      count: programmeFlats.count,
    })
    .from(programmeFlats)
    .where(eq(programmeFlats.programmeId, programmeId))
    .orderBy(asc(programmeFlats.typology), asc(programmeFlats.financing), asc(programmeFlats.pmr));
}

/**
 * The programmes the actor may read, as SQL over `programmes` joined to its commune (`organisations`): the MEL all;
 * a bailleur its own; a réservataire those of the bailleurs it holds a contingent on; a commune those on its
 * territory. The same reach as the policy, which still checks each row listed.
 */
function visibleProgrammes(actor: Actor, pairs: Pairs): SQL | undefined {
  if (reachesAll(actor.ability, "read", "Programme")) return undefined;
  const bailleurIds = pairs
    .filter((p) => p.reservataire.id === actor.organisation.id)
    .map((p) => p.bailleur.id);
  return or(
    eq(programmes.bailleurId, actor.organisation.id),
    ...(bailleurIds.length > 0 ? [inArray(programmes.bailleurId, bailleurIds)] : []),
    ...(actor.organisation.kind === "commune" ? [eq(organisations.id, actor.organisation.id)] : []),
  );
}

const communeOfProgramme = and(
  eq(organisations.kind, "commune"),
  eq(organisations.inseeCode, programmes.communeInsee),
);
const inPeriod = (filter: { from?: string; to?: string }) => [
  filter.from ? gte(programmes.firstLettingDate, filter.from) : undefined,
  filter.to ? lte(programmes.firstLettingDate, filter.to) : undefined,
];

export const PROGRAMME_PAGE_SIZE = 50;

/**
 * The programmes the actor may read (`visibleProgrammes`), by first letting date, then name, with their flats: one
 * page of `limit` (50) after the programme `after` (the previous page's last: a keyset cursor), or all of them.
 * Filtered in SQL, then checked row by row by the policy.
 */
export async function listProgrammes(
  actor: Actor,
  filter: { from?: string; to?: string; after?: string } = {},
  options: { limit?: number } = { limit: PROGRAMME_PAGE_SIZE },
) {
  ensureCan(actor.ability, "read", "Programme");
  const pairs = await contingentPairs();
  // A cursor that is no uuid (or no programme) starts from the beginning: no SQL error on a mistyped link.
  const cursor =
    filter.after && isUuid(filter.after)
      ? sql`(${programmes.firstLettingDate}, ${programmes.name}, ${programmes.id}) >
          (select first_letting_date, name, id from ${programmes} where id = ${filter.after})`
      : undefined;
  const query = db
    .select({
      id: programmes.id,
      bailleurId: programmes.bailleurId,
      bailleurName: bailleurs.name,
      communeInsee: programmes.communeInsee,
      communeId: organisations.id,
      communeName: organisations.name,
      name: programmes.name,
      address: programmes.address,
      firstLettingDate: programmes.firstLettingDate,
      status: programmes.status,
      declaredAt: programmes.declaredAt,
      lateDeclaration: programmes.lateDeclaration,
    })
    .from(programmes)
    .innerJoin(bailleurs, eq(bailleurs.id, programmes.bailleurId))
    .leftJoin(organisations, communeOfProgramme)
    .where(and(visibleProgrammes(actor, pairs), ...inPeriod(filter), cursor))
    .orderBy(asc(programmes.firstLettingDate), asc(programmes.name), asc(programmes.id));
  const rows = await (options.limit === undefined ? query : query.limit(options.limit));
  const readable = rows.filter((r) =>
    actor.ability.can("read", asSubject("Programme", asPolicyRow(r, pairs, r.communeId ?? undefined))),
  );
  const flats = readable.length
    ? await db
        .select()
        .from(programmeFlats)
        .where(
          inArray(
            programmeFlats.programmeId,
            readable.map((r) => r.id),
          ),
        )
    : [];
  const flatsByProgramme = new Map<string, FlatGroup[]>();
  for (const { programmeId, typology, financing, pmr, count } of flats)
    flatsByProgramme.set(programmeId, [
      ...(flatsByProgramme.get(programmeId) ?? []),
      { typology, financing, pmr, count },
    ]);
  const list = readable.map(({ communeId: _, ...r }) => ({
    ...r,
    communeName: r.communeName ?? r.communeInsee,
    flats: flatsByProgramme.get(r.id) ?? [],
  }));
  // The cursor of the next page: the last row read, when the page is full.
  const next = options.limit !== undefined && rows.length === options.limit ? rows.at(-1)!.id : null;
  return { programmes: list, next };
}

/** One programme with its flats, proposed and final split, and the recommendations the actor may see. */
export async function getProgramme(actor: Actor, id: string) {
  const pairs = await contingentPairs();
  const row = ensureCanOn(actor.ability, "read", "Programme", await loadRow(db, id, pairs), PROGRAMME);
  const names = new Map(pairs.map((p) => [p.reservataire.id, p.reservataire]));
  const named = (a: Allocation) => ({
    ...a,
    reservataire: a.reservataireId ? (names.get(a.reservataireId) ?? null) : null,
  });
  const [flats, allocations, recommendations, [bailleur], commune] = await Promise.all([
    flatsOf(db, row.id),
    db
      .select({
        reservataireId: programmeAllocations.reservataireId,
        typology: programmeAllocations.typology,
        financing: programmeAllocations.financing,
        pmr: programmeAllocations.pmr,
        count: programmeAllocations.count,
      })
      .from(programmeAllocations)
      .where(eq(programmeAllocations.programmeId, row.id)),
    db
      .select({
        reservataireId: programmeRecommendations.reservataireId,
        reservataireName: organisations.name,
        text: programmeRecommendations.text,
        at: programmeRecommendations.at,
        byName: users.name,
      })
      .from(programmeRecommendations)
      .innerJoin(organisations, eq(organisations.id, programmeRecommendations.reservataireId))
      .leftJoin(users, eq(users.id, programmeRecommendations.byUserId))
      .where(eq(programmeRecommendations.programmeId, row.id))
      .orderBy(asc(programmeRecommendations.at)),
    db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, row.bailleurId)),
    communeOrganisation(db, row.communeInsee),
  ]);
  const seesAllRecommendations =
    reachesAll(actor.ability, "read", "Programme") || row.bailleurId === actor.organisation.id;
  const { partyIds: _p, organisationId: _o, createdBy: _c, ...programme } = row;
  return {
    ...programme,
    bailleurName: bailleur?.name ?? "",
    communeName: commune?.name ?? row.communeInsee,
    flats,
    reservataires: entitledOn(pairs, row.bailleurId).map((p) => ({ ...p.reservataire, rateBp: p.rateBp })),
    proposedSplit: (row.proposedSplit ?? []).map(named),
    finalSplit: allocations.map(named),
    recommendations: recommendations.filter(
      (r) => seesAllRecommendations || r.reservataireId === actor.organisation.id,
    ),
    canUpdate: actor.ability.can("update", asSubject("Programme", row)),
    canRecommend:
      row.status !== "announced" && actor.ability.can("create", asSubject("ProgrammeRecommendation", row)),
  };
}

/**
 * The bailleur records the final split (004 l. 294): refused, with nothing changed, when it does not share out every
 * flat exactly, names an unknown réservataire, or gives flats to a réservataire without a contingent on the bailleur.
 */
export async function recordSplit(actor: Actor, id: string, input: SplitInput): Promise<void> {
  await db.transaction(async (tx) => {
    const pairs = await contingentPairs(tx);
    const programme = await loadForUpdate(tx, actor, id, pairs);
    if (programme.status === "announced")
      throw new DomainError(
        "conflict",
        "Déclarez d'abord le programme aux réservataires, puis arrêtez la répartition.",
      );
    const slugs = [...new Set(input.allocations.flatMap((a) => (a.reservataire ? [a.reservataire] : [])))];
    const known = slugs.length
      ? await tx
          .select({ id: organisations.id, slug: organisations.slug })
          .from(organisations)
          .where(inArray(organisations.slug, slugs))
      : [];
    const unknown = slugs.filter((s) => !known.some((k) => k.slug === s));
    if (unknown.length > 0)
      throw new DomainError(
        "invalid",
        `Réservataire inconnu : ${unknown.join(", ")}. Utilisez l'identifiant (slug) de l'organisation.`,
      );
    const idOf = new Map(known.map((k) => [k.slug, k.id]));
    const allocations: Allocation[] = input.allocations.map(({ reservataire, ...a }) => ({
      ...a,
      reservataireId: reservataire ? idOf.get(reservataire)! : null,
    }));
    const entitled = new Set(entitledOn(pairs, programme.bailleurId).map((p) => p.reservataire.id));
    const errors = splitErrors(await flatsOf(tx, programme.id), allocations, entitled);
    if (errors.length > 0)
      throw new DomainError(
        "invalid",
        `La répartition n'est pas enregistrée : ${errors.join(" ")}`,
        {},
        {
          errors: { allocations: errors },
        },
      );
    await tx.delete(programmeAllocations).where(eq(programmeAllocations.programmeId, programme.id));
    const kept = allocations.filter((a) => a.count > 0);
    if (kept.length)
      await tx.insert(programmeAllocations).values(kept.map((a) => ({ ...a, programmeId: programme.id })));
    await tx
      .update(programmes)
      .set({ status: "split_recorded", splitRecordedAt: new Date(), updatedAt: new Date() })
      .where(eq(programmes.id, programme.id));
    await recordAudit(tx, auditOf(actor), {
      action: "programme.split",
      subjectType: "Programme",
      subjectId: programme.id,
      after: kept,
    });
  });
}

/** A réservataire concerned answers with its recommendations (the latest replaces the previous one). */
export async function recommend(actor: Actor, id: string, text: string): Promise<void> {
  await db.transaction(async (tx) => {
    const pairs = await contingentPairs(tx);
    const row = await loadRow(tx, id, pairs);
    ensureCanOn(actor.ability, "read", "Programme", row, PROGRAMME);
    if (!actor.ability.can("create", asSubject("ProgrammeRecommendation", row!)))
      throw new DomainError(
        "forbidden",
        "Seul un réservataire ayant un contingent sur ce bailleur émet des préconisations.",
      );
    if (row!.status === "announced")
      throw new DomainError(
        "conflict",
        "Ce programme n'est pas encore déclaré : attendez la proposition de répartition.",
      );
    await tx
      .insert(programmeRecommendations)
      .values({ programmeId: row!.id, reservataireId: actor.organisation.id, text, byUserId: actor.user.id })
      .onConflictDoUpdate({
        target: [programmeRecommendations.programmeId, programmeRecommendations.reservataireId],
        set: { text, byUserId: actor.user.id, at: new Date() },
      });
    await recordAudit(tx, auditOf(actor), {
      action: "programme.recommend",
      subjectType: "Programme",
      subjectId: row!.id,
      after: { text },
    });
  });
}

/**
 * Deliveries consolidated by semester or year (004 l. 298), over the programmes the actor may read: the totals
 * summed by the database (one row per commune × bailleur × kind of flat, not one per programme and flat), and with
 * `withList` the programmes themselves (the page and its exports).
 */
export async function consolidatedDeliveries(
  actor: Actor,
  period: DeliveryPeriod,
  options: { withList?: boolean } = {},
) {
  ensureCan(actor.ability, "read", "Programme");
  const bounds = periodBounds(period);
  const pairs = await contingentPairs();
  const where = and(visibleProgrammes(actor, pairs), ...inPeriod(bounds));
  const [groups, [count], list] = await Promise.all([
    db
      .select({
        communeName: sql<string>`coalesce(${organisations.name}, ${programmes.communeInsee})`,
        bailleurName: bailleurs.name,
        typology: programmeFlats.typology,
        financing: programmeFlats.financing,
        pmr: programmeFlats.pmr,
        count: sql<number>`sum(${programmeFlats.count})::int`,
      })
      .from(programmes)
      .innerJoin(bailleurs, eq(bailleurs.id, programmes.bailleurId))
      .leftJoin(organisations, communeOfProgramme)
      .innerJoin(programmeFlats, eq(programmeFlats.programmeId, programmes.id))
      .where(where)
      .groupBy(
        organisations.name,
        programmes.communeInsee,
        bailleurs.name,
        programmeFlats.typology,
        programmeFlats.financing,
        programmeFlats.pmr,
      ),
    db
      .select({ programmes: sql<number>`count(*)::int` })
      .from(programmes)
      .leftJoin(organisations, communeOfProgramme)
      .where(where),
    options.withList ? listProgrammes(actor, bounds, {}).then((page) => page.programmes) : undefined,
  ]);
  // Each group is consolidated as a programme of its own, then counted as the programmes they are.
  const totals = consolidateDeliveries(
    groups.map(({ communeName, bailleurName, count, ...flat }) => ({
      communeInsee: "",
      communeName,
      bailleurName,
      firstLettingDate: bounds.from,
      flats: [{ ...flat, count }],
    })),
    period,
  );
  return { period, ...totals, programmes: count!.programmes, list: list ?? [] };
}

// ── The May / November campaign (004 l. 298) ───────────────────────────────────────────────────────────────────

const campaignLabel = (c: { year: number; month: DeliveryCampaignMonth }) =>
  `${DELIVERY_CAMPAIGN_LABELS[c.month]} ${c.year}`;

/**
 * The MEL asks every bailleur to update its coming deliveries: one request (and one mail) per bailleur and campaign,
 * so sending the campaign again asks only the bailleurs not asked yet (the unique key makes it safe concurrently).
 */
export async function sendDeliveryCampaign(actor: Actor, options: { now?: Date; baseUrl: string }) {
  ensureCan(actor.ability, "create", "DeliveryUpdate");
  const campaign = currentDeliveryCampaign(options.now ?? new Date());
  const key = deliveryCampaignKey(campaign.year, campaign.month);
  return db.transaction(async (tx) => {
    const bailleurs = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.kind, "bailleur"));
    const inserted = bailleurs.length
      ? await tx
          .insert(deliveryUpdateRequests)
          .values(
            bailleurs.map((b) => ({
              campaign: key,
              bailleurId: b.id,
              requestedBy: actor.user.id,
              requestedAt: options.now,
            })),
          )
          .onConflictDoNothing()
          .returning({ bailleurId: deliveryUpdateRequests.bailleurId })
      : [];
    if (inserted.length > 0) {
      const url = `${options.baseUrl}/programmes`;
      for (const to of await recipients(
        tx,
        inserted.map((r) => r.bailleurId),
      ))
        await enqueueMail(tx, deliveryUpdateRequestMail({ to, campaignLabel: campaignLabel(campaign), url }));
      await recordAudit(tx, auditOf(actor), {
        action: "deliveries.campaign",
        subjectType: "DeliveryUpdate",
        subjectId: key,
        after: { asked: inserted.length },
      });
    }
    return { campaign: key, asked: inserted.length, alreadyAsked: bailleurs.length - inserted.length };
  });
}

/** Who was asked in a campaign and who answered (the MEL: every bailleur; a bailleur: its own request). */
export async function campaignFollowUp(actor: Actor, now = new Date()) {
  ensureCan(actor.ability, "read", "DeliveryUpdate");
  const campaign = currentDeliveryCampaign(now);
  const key = deliveryCampaignKey(campaign.year, campaign.month);
  const rows = await db
    .select({
      bailleurId: deliveryUpdateRequests.bailleurId,
      bailleurName: organisations.name,
      requestedAt: deliveryUpdateRequests.requestedAt,
      answeredAt: deliveryUpdateRequests.answeredAt,
    })
    .from(deliveryUpdateRequests)
    .innerJoin(organisations, eq(organisations.id, deliveryUpdateRequests.bailleurId))
    .where(
      and(
        eq(deliveryUpdateRequests.campaign, key),
        reachesAll(actor.ability, "read", "DeliveryUpdate")
          ? undefined
          : eq(deliveryUpdateRequests.bailleurId, actor.organisation.id),
      ),
    )
    .orderBy(asc(organisations.name));
  return { campaign: key, label: campaignLabel(campaign), requests: rows };
}

/** Sets the running campaign's request of the actor's bailleur as answered (once). */
async function markDeliveriesUpdated(tx: Db, actor: Actor, now: Date) {
  const campaign = currentDeliveryCampaign(now);
  return tx
    .update(deliveryUpdateRequests)
    .set({ answeredAt: now, answeredBy: actor.user.id })
    .where(
      and(
        eq(deliveryUpdateRequests.campaign, deliveryCampaignKey(campaign.year, campaign.month)),
        eq(deliveryUpdateRequests.bailleurId, actor.organisation.id),
        isNull(deliveryUpdateRequests.answeredAt),
      ),
    )
    .returning({ id: deliveryUpdateRequests.id });
}

/** The bailleur confirms its coming deliveries are up to date for the running campaign. */
export async function confirmDeliveriesUpdated(actor: Actor, now = new Date()): Promise<void> {
  ensureCan(actor.ability, "update", "DeliveryUpdate");
  await db.transaction(async (tx) => {
    const updated = await markDeliveriesUpdated(tx, actor, now);
    if (updated.length === 0)
      throw new DomainError(
        "conflict",
        "Aucune demande de mise à jour en attente de réponse pour votre organisation.",
      );
    await recordAudit(tx, auditOf(actor), {
      action: "deliveries.confirm",
      subjectType: "DeliveryUpdate",
      subjectId: updated[0]!.id,
    });
  });
}
