import { and, asc, eq, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import type { z } from "zod";
import { type Db, db } from "#db/client.server";
import {
  assiettePublications,
  avenants,
  bilans,
  comiteInvitations,
  comites,
  deliveryUpdateRequests,
  forecasts,
  memberships,
  type OrganisationKind,
  obligationReminders,
  organisations,
  programmes,
  users,
} from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import { obligationLateMail } from "#emails/templates";
import { ensureCan } from "#policies/guard.server";
import {
  assietteDueAt,
  bilanDueAt,
  comiteDueAt,
  DELIVERY_CAMPAIGN_LABELS,
  DELIVERY_CAMPAIGN_MONTHS,
  type DeliveryCampaignMonth,
  deliveriesRequestDueAt,
  deliveriesUpdateDueAt,
  deliveryCampaignKey,
  forecastDueAt,
  type Obligation,
  type ObligationStatus,
  obligationStatus,
  parisMidnight,
} from "~/domain/obligations";
import { declarationDueAt } from "~/domain/programme";
import type { Actor } from "~/lib/actor.server";
import { recordAudits, SYSTEM_ACTOR } from "~/lib/audit.server";
import { formatParis, noonUtcOf, parisYear } from "~/lib/dates";
import { de } from "~/lib/french";
import type { calendarItemResponse } from "~/lib/programme-responses";
import { publicUrl } from "~/lib/route-params.server";
import { contingentPairs } from "./contingents.server";

/** Whose obligations, for which year (Paris). */
export type ObligationContext = {
  tx: Db;
  organisation: { id: string; kind: OrganisationKind };
  year: number;
};

/** One kind of obligation: the items an organisation owes in a year (empty for kinds it does not concern). */
export type ObligationSource = (context: ObligationContext) => Promise<Obligation[]>;

/** January: each bailleur sends its forecast (004 l. 144); done when submitted. */
const forecastSource: ObligationSource = async ({ tx, organisation, year }) => {
  if (organisation.kind !== "bailleur") return [];
  const [row] = await tx
    .select({ submittedAt: forecasts.submittedAt })
    .from(forecasts)
    .where(and(eq(forecasts.bailleurId, organisation.id), eq(forecasts.year, year)));
  return [
    {
      kind: "forecast",
      dueAt: forecastDueAt(year),
      doneAt: row?.submittedAt ?? null,
      subject: `Transmettre la prévision d'attributions ${year} à l'État`,
      key: `forecast:${organisation.id}:${year}`,
      url: `/assiette/${year}`,
    },
  ];
};

/** End of February: the État publishes the assiette (004 l. 152). */
const assietteSource: ObligationSource = async ({ tx, organisation, year }) => {
  if (organisation.kind !== "etat") return [];
  const [row] = await tx
    .select({ publishedAt: assiettePublications.publishedAt })
    .from(assiettePublications)
    .where(eq(assiettePublications.year, year));
  return [
    {
      kind: "assiette",
      dueAt: assietteDueAt(year),
      doneAt: row?.publishedAt ?? null,
      subject: `Publier l'assiette du flux ${year} à tous les réservataires`,
      key: `assiette:${year}`,
      url: `/assiette/${year}`,
    },
  ];
};

/** Each avenant sent to the bailleur: answer before its two-month deadline (004 l. 154; app/domain/deadline.ts). */
const avenantSource: ObligationSource = async ({ tx, organisation, year }) => {
  if (organisation.kind !== "bailleur") return [];
  const rows = await tx
    .select({
      id: avenants.id,
      year: avenants.year,
      status: avenants.status,
      deadlineEndsAt: avenants.deadlineEndsAt,
      answeredAt: avenants.answeredAt,
      reservataireName: organisations.name,
    })
    .from(avenants)
    .innerJoin(organisations, eq(organisations.id, avenants.reservataireId))
    .where(
      and(
        eq(avenants.bailleurId, organisation.id),
        eq(avenants.year, year),
        inArray(avenants.status, ["sent", "accepted", "contested", "tacitly_accepted"]),
      ),
    );
  return rows.flatMap((r) =>
    r.deadlineEndsAt
      ? [
          {
            kind: "avenant_answer" as const,
            dueAt: r.deadlineEndsAt,
            // Tacit acceptance settles the letter at the deadline's end: nothing is owed any more.
            doneAt: r.answeredAt ?? (r.status === "tacitly_accepted" ? r.deadlineEndsAt : null),
            tacit: r.status === "tacitly_accepted" && !r.answeredAt,
            subject: `Répondre au courrier valant avenant ${r.year} ${de(r.reservataireName)}`,
            key: `avenant:${r.id}`,
            url: "/avenants",
          },
        ]
      : [],
  );
};

const deliveryCampaigns = (year: number) =>
  (Object.keys(DELIVERY_CAMPAIGN_MONTHS) as DeliveryCampaignMonth[]).map((month) => ({
    month,
    campaign: deliveryCampaignKey(year, month),
  }));

/**
 * May and November: the MEL asks the bailleurs to update their coming deliveries (004 l. 298); done when its first
 * request of the campaign went out.
 */
const deliveriesRequestSource: ObligationSource = async ({ tx, organisation, year }) => {
  if (organisation.kind !== "metropole") return [];
  const campaigns = deliveryCampaigns(year);
  const sent = await tx
    .select({
      campaign: deliveryUpdateRequests.campaign,
      at: sql<Date>`min(${deliveryUpdateRequests.requestedAt})`.mapWith(deliveryUpdateRequests.requestedAt),
    })
    .from(deliveryUpdateRequests)
    .where(
      inArray(
        deliveryUpdateRequests.campaign,
        campaigns.map((c) => c.campaign),
      ),
    )
    .groupBy(deliveryUpdateRequests.campaign);
  return campaigns.map(({ month, campaign }) => ({
    kind: "deliveries_request" as const,
    dueAt: deliveriesRequestDueAt(year, month),
    doneAt: sent.find((s) => s.campaign === campaign)?.at ?? null,
    subject: `Demander aux bailleurs la mise à jour des livraisons à venir (${DELIVERY_CAMPAIGN_LABELS[month]} ${year})`,
    key: `deliveries-request:${campaign}`,
    url: "/programmes/livraisons",
  }));
};

/**
 * The bailleur answers each request the MEL sent it (004 l. 298), within the time the request gives
 * (`deliveriesUpdateDueAt`); nothing is owed for a request never sent.
 */
const deliveriesSource: ObligationSource = async ({ tx, organisation, year }) => {
  if (organisation.kind !== "bailleur") return [];
  const campaigns = deliveryCampaigns(year);
  const requests = await tx
    .select({
      campaign: deliveryUpdateRequests.campaign,
      requestedAt: deliveryUpdateRequests.requestedAt,
      answeredAt: deliveryUpdateRequests.answeredAt,
    })
    .from(deliveryUpdateRequests)
    .where(
      and(
        eq(deliveryUpdateRequests.bailleurId, organisation.id),
        inArray(
          deliveryUpdateRequests.campaign,
          campaigns.map((c) => c.campaign),
        ),
      ),
    );
  return campaigns.flatMap(({ month, campaign }) => {
    const request = requests.find((r) => r.campaign === campaign);
    if (!request) return [];
    return [
      {
        kind: "deliveries_update" as const,
        dueAt: deliveriesUpdateDueAt(request.requestedAt),
        doneAt: request.answeredAt,
        subject: `Mettre à jour les livraisons à venir (demande de la MEL de ${DELIVERY_CAMPAIGN_LABELS[month]} ${year})`,
        key: `deliveries:${organisation.id}:${campaign}`,
        url: "/programmes",
      },
    ];
  });
};

/** The comité's meetings the organisation is invited to (the MEL: all), on their day and time (issue 15). */
const comiteMeetingSource: ObligationSource = async ({ tx, organisation, year }) => {
  const inYear = and(gte(comites.heldOn, `${year}-01-01`), lte(comites.heldOn, `${year}-12-31`));
  const rows = await tx
    .select({ id: comites.id, heldOn: comites.heldOn, heldAt: comites.heldAt, place: comites.place })
    .from(comites)
    .where(
      organisation.kind === "metropole"
        ? inYear
        : and(
            inYear,
            inArray(
              comites.id,
              tx
                .select({ id: comiteInvitations.comiteId })
                .from(comiteInvitations)
                .where(eq(comiteInvitations.organisationId, organisation.id)),
            ),
          ),
    );
  return rows.map((r) => {
    const at = r.heldAt ?? noonUtcOf(r.heldOn);
    return {
      kind: "comite_meeting" as const,
      dueAt: at,
      doneAt: null,
      subject: `Comité de suivi des contingents${r.heldAt ? ` à ${formatParis(r.heldAt, "HH'h'mm")}` : ""}, ${r.place}`,
      key: `comite-meeting:${r.id}`,
      url: `/comites/${r.id}`,
      event: true,
      ...(r.heldAt ? { startsAt: r.heldAt } : {}),
    };
  });
};

/**
 * Programmes to declare 3 to 4 months before first letting (004 l. 296): every programme only announced, and those
 * declared whose deadline falls in the year (done at their declaration).
 */
const programmeSource: ObligationSource = async ({ tx, organisation, year }) => {
  if (organisation.kind !== "bailleur") return [];
  const rows = await tx
    .select({
      id: programmes.id,
      name: programmes.name,
      firstLettingDate: programmes.firstLettingDate,
      declaredAt: programmes.declaredAt,
    })
    .from(programmes)
    .where(eq(programmes.bailleurId, organisation.id))
    .orderBy(asc(programmes.firstLettingDate));
  const yearStart = parisMidnight(year, 1, 1).getTime();
  return rows
    .map((r) => ({
      kind: "programme_declaration" as const,
      dueAt: declarationDueAt(r.firstLettingDate),
      doneAt: r.declaredAt,
      // The date as it is written (a calendar day, no time zone to convert): dd/MM/yyyy.
      subject: `Déclarer le programme « ${r.name} » aux réservataires (mise en service le ${r.firstLettingDate.split("-").reverse().join("/")})`,
      key: `programme:${r.id}`,
      url: `/programmes/${r.id}`,
    }))
    .filter((item) => item.doneAt === null || item.dueAt.getTime() >= yearStart);
};

/** The comité de suivi meets at least once a year (004 art. 10, l. 398): the MEL plans a meeting in the year. */
const comiteSource: ObligationSource = async ({ tx, organisation, year }) => {
  if (organisation.kind !== "metropole") return [];
  const [first] = await tx
    .select({ createdAt: comites.createdAt })
    .from(comites)
    .where(and(gte(comites.heldOn, `${year}-01-01`), lte(comites.heldOn, `${year}-12-31`)))
    .orderBy(asc(comites.createdAt))
    .limit(1);
  return [
    {
      kind: "comite",
      dueAt: comiteDueAt(year),
      doneAt: first?.createdAt ?? null,
      subject: `Réunir le comité de suivi des contingents au moins une fois en ${year}`,
      key: `comite:${year}`,
      url: "/comites",
    },
  ];
};

/**
 * Before 28 February each bailleur sends every réservataire holding a contingent on it the bilan of the year before
 * (004 Titre 5, l. 447; decree 2020-145); done when sent.
 */
const bilanSource: ObligationSource = async ({ tx, organisation, year }) => {
  if (organisation.kind !== "bailleur") return [];
  const [pairs, sent] = await Promise.all([
    contingentPairs(tx, { bailleurId: organisation.id, year: year - 1 }),
    tx
      .select({ reservataireId: bilans.reservataireId, sentAt: bilans.sentAt })
      .from(bilans)
      .where(and(eq(bilans.bailleurId, organisation.id), eq(bilans.year, year - 1))),
  ]);
  const dueAt = bilanDueAt(year);
  return pairs.map((pair) => ({
    kind: "bilan" as const,
    dueAt,
    doneAt: sent.find((b) => b.reservataireId === pair.reservataire.id)?.sentAt ?? null,
    subject: `Transmettre le bilan des attributions ${year - 1} à ${pair.reservataire.name}`,
    key: `bilan:${organisation.id}:${pair.reservataire.id}:${year - 1}`,
    url: "/bilans",
  }));
};

/** Every kind of obligation, one source each. */
export const OBLIGATION_SOURCES: ObligationSource[] = [
  forecastSource,
  assietteSource,
  avenantSource,
  deliveriesRequestSource,
  deliveriesSource,
  programmeSource,
  comiteSource,
  comiteMeetingSource,
  bilanSource,
];

export type CalendarItem = Obligation & { status: ObligationStatus };

/**
 * An organisation's obligations of `year` (the current one by default), with their status at `now`, soonest first:
 * read for an actor by `calendarOf`, for each organisation by the reminders' job.
 */
async function obligationsOf(
  organisation: ObligationContext["organisation"],
  now: Date,
  tx: Db = db,
  year = parisYear(now),
): Promise<CalendarItem[]> {
  const context = { tx, organisation, year };
  const items = (await Promise.all(OBLIGATION_SOURCES.map((source) => source(context)))).flat();
  return items
    .map((item) => ({ ...item, status: obligationStatus(item, now) }))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.key.localeCompare(b.key));
}

/** The calendar of the actor's organisation for `year` (the current one by default). */
export async function calendarOf(actor: Actor, now = new Date(), year?: number): Promise<CalendarItem[]> {
  ensureCan(actor.ability, "read", "Calendar");
  return obligationsOf(actor.organisation, now, db, year);
}

/** The API's view of a calendar item. */
export const calendarJson = (item: CalendarItem): z.output<typeof calendarItemResponse> => ({
  kind: item.kind,
  dueAt: item.dueAt.toISOString(),
  status: item.status,
  doneAt: item.doneAt?.toISOString() ?? null,
  subject: item.subject,
});

/**
 * Job: each late obligation is reminded once by e-mail to each active member of the organisation that owes it
 * (the unique key (obligation, user) makes the job idempotent and safe when two passes overlap).
 */
export async function remindLateObligations(now: Date, baseUrl = publicUrl()) {
  // The organisations with someone to remind, with those people, in one query: no one else's obligations computed.
  const rows = await db
    .select({
      organisation: { id: organisations.id, kind: organisations.kind, name: organisations.name },
      member: { id: users.id, email: users.email },
    })
    .from(organisations)
    .innerJoin(memberships, eq(memberships.organisationId, organisations.id))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        inArray(organisations.kind, ["bailleur", "etat", "metropole"]),
        isNull(memberships.deactivatedAt),
        isNull(users.deactivatedAt),
      ),
    );
  const orgs = new Map<string, { organisation: (typeof rows)[number]["organisation"]; members: Member[] }>();
  for (const { organisation, member } of rows) {
    const entry = orgs.get(organisation.id) ?? { organisation, members: [] };
    entry.members.push(member);
    orgs.set(organisation.id, entry);
  }
  const entries = [...orgs.values()];
  let reminded = 0;
  // A few organisations at a time: each is a handful of short queries, mostly spent waiting on the database.
  for (let i = 0; i < entries.length; i += 4) {
    const counts = await Promise.all(
      entries
        .slice(i, i + 4)
        .map(({ organisation, members }) => remindOrganisation(organisation, members, now, baseUrl)),
    );
    reminded += counts.reduce((a, b) => a + b, 0);
  }
  return { reminded };
}

type Member = { id: string; email: string };

/** Reminds one organisation's active members of its late obligations, each once (see remindLateObligations). */
async function remindOrganisation(
  organisation: { id: string; kind: OrganisationKind; name: string },
  members: Member[],
  now: Date,
  baseUrl: string,
): Promise<number> {
  const late = (await obligationsOf(organisation, now)).filter((item) => item.status === "late");
  if (late.length === 0) return 0;
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(obligationReminders)
      .values(
        late.flatMap((item) => members.map((m) => ({ obligationKey: item.key, userId: m.id, sentAt: now }))),
      )
      .onConflictDoNothing()
      .returning({ key: obligationReminders.obligationKey, userId: obligationReminders.userId });
    for (const row of inserted) {
      const item = late.find((i) => i.key === row.key)!;
      const member = members.find((m) => m.id === row.userId)!;
      await enqueueMail(
        tx,
        obligationLateMail({
          to: member.email,
          organisationName: organisation.name,
          subject: item.subject,
          dueOn: formatParis(new Date(item.dueAt.getTime() - 1), "d MMMM yyyy"),
          url: `${baseUrl}/calendrier`,
        }),
      );
    }
    await recordAudits(
      tx,
      SYSTEM_ACTOR,
      inserted.map((row) => ({
        action: "obligation.remind",
        subjectType: "Calendar",
        subjectId: row.key,
        after: { userId: row.userId },
      })),
    );
    return inserted.length;
  });
}
