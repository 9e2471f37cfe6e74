import { type SQL, sql } from "drizzle-orm";
import { queryRows } from "#db/client.server";
import { avenants, bilans, cribAnswers, cribCases, cribSessions, signalementBailleurs } from "#db/schema";
import { asSubject } from "#policies/ability";
import type { Action, SubjectName } from "#policies/rules";
import type { ObligationKind } from "~/domain/obligations";
import { obligationTodos, type Todo } from "~/domain/todo";
import type { Actor } from "~/lib/actor.server";
import { calendarOf } from "./calendar.server";
import { ackAlertDays } from "./signalements.server";

/**
 * What doing each obligation of the calendar takes: the calendar is the organisation's, the to-do list is the
 * user's (a lecteur owes nothing; only a signataire answers a letter). Null: nothing to do (an event).
 */
const OBLIGATION_PERMISSIONS: Record<ObligationKind, [Action, SubjectName] | null> = {
  forecast: ["create", "Forecast"],
  assiette: ["update", "Assiette"],
  avenant_answer: ["create", "AvenantAnswer"],
  bilan: ["create", "Bilan"],
  deliveries_update: ["update", "DeliveryUpdate"],
  deliveries_request: ["create", "DeliveryUpdate"],
  programme_declaration: ["create", "Programme"],
  comite: ["create", "Comite"],
  comite_meeting: null,
};

const DAY_MS = 24 * 3600 * 1000;

type Own = { organisationId: string; partyIds: string[]; published: true };

/**
 * The things counted rather than dated: who may do them (the policy, on a row of the actor's organisation), and the
 * sub-query counting them. Only the allowed sub-queries enter the one aggregate query.
 */
const COUNTED: Array<{
  key: string;
  title: string;
  url: string;
  allowed: (ability: Actor["ability"], own: Own) => boolean;
  count: (organisationId: string) => SQL;
}> = [
  {
    key: "crib-answers",
    title: "Répondre aux cas de la liste de la CRIB",
    url: "/crib",
    allowed: (ability, own) => ability.can("create", asSubject("CribAnswer", own)),
    count: (id) =>
      sql`(select count(*)::int from ${cribCases} join ${cribSessions} on ${cribSessions.id} = ${cribCases.sessionId} where ${cribSessions.publishedAt} is not null and ${cribCases.status} = 'open' and not exists (select 1 from ${cribAnswers} where ${cribAnswers.caseId} = ${cribCases.id} and ${cribAnswers.bailleurId} = ${id}))`,
  },
  {
    key: "crib-pilots",
    title: "Désigner le bailleur pilote des cas de la CRIB",
    url: "/crib",
    allowed: (ability, own) => ability.can("update", asSubject("CribCase", own)),
    count: () =>
      sql`(select count(*)::int from ${cribCases} join ${cribSessions} on ${cribSessions.id} = ${cribCases.sessionId} where ${cribSessions.publishedAt} is not null and ${cribCases.status} = 'open' and ${cribCases.pilotBailleurId} is null)`,
  },
  {
    key: "avenants-contested",
    title: "Traiter les courriers valant avenant contestés",
    url: "/avenants",
    allowed: (ability, own) => ability.can("update", asSubject("Avenant", own)),
    count: (id) =>
      sql`(select count(*)::int from ${avenants} where ${avenants.reservataireId} = ${id} and ${avenants.status} = 'contested')`,
  },
  {
    key: "bilans-received",
    title: "Accuser réception des bilans annuels reçus",
    url: "/bilans",
    allowed: (ability, own) => ability.can("update", asSubject("Bilan", own)),
    count: (id) =>
      sql`(select count(*)::int from ${bilans} where ${bilans.reservataireId} = ${id} and ${bilans.acknowledgedAt} is null)`,
  },
];

/** Signalements an addressed bailleur has not acknowledged: their count and the oldest one's sending. */
const unacknowledged = (id: string) =>
  sql`(select json_build_object('count', count(*)::int, 'oldestMs', (extract(epoch from min(${signalementBailleurs.createdAt})) * 1000)::float8) from ${signalementBailleurs} where ${signalementBailleurs.bailleurId} = ${id} and ${signalementBailleurs.status} = 'sent')`;

/**
 * The actions waiting for the actor, nearest deadline first: the calendar's open obligations its role lets it do,
 * the signalements to acknowledge, and the counted items above. One aggregate query beside the calendar's; each
 * part is asked of the policy first.
 */
export async function todosOf(actor: Actor, now = new Date()): Promise<Todo[]> {
  const { ability, organisation } = actor;
  const own: Own = { organisationId: organisation.id, partyIds: [organisation.id], published: true };
  const counted = COUNTED.filter((c) => c.allowed(ability, own));
  const acknowledges = ability.can("update", asSubject("Signalement", own));
  const [obligations, [row]] = await Promise.all([
    ability.can("read", "Calendar") ? calendarOf(actor, now) : [],
    queryRows<{ counts: number[]; signalements: { count: number; oldestMs: number | null } | null }>(sql`
      select
        array[${sql.join([sql`0`, ...counted.map((c) => c.count(organisation.id))], sql`, `)}] as "counts",
        ${acknowledges ? unacknowledged(organisation.id) : sql`null`} as "signalements"
    `),
  ]);
  const todos = obligationTodos(
    obligations.filter((o) => {
      const needs = OBLIGATION_PERMISSIONS[o.kind];
      return needs !== null && ability.can(...needs);
    }),
  );
  const signalements = row?.signalements;
  if (signalements && signalements.count > 0) {
    const dueAt = new Date(signalements.oldestMs! + ackAlertDays() * DAY_MS);
    todos.push({
      key: "signalements",
      title: "Accuser réception des signalements reçus",
      count: signalements.count,
      dueAt,
      late: now >= dueAt,
      url: "/signalements?status=sent",
    });
  }
  counted.forEach(({ key, title, url }, i) => {
    // counts[0] is the placeholder that keeps the array literal valid when nothing is counted.
    const count = Number(row?.counts[i + 1] ?? 0);
    if (count > 0) todos.push({ key, title, url, count, dueAt: null, late: false });
  });
  return todos.sort(
    (a, b) =>
      (a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY) - (b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY),
  );
}
