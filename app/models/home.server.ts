import { sql } from "drizzle-orm";
import { queryRows } from "#db/client.server";
import { cribAnswers, cribCases, cribSessions, signalementBailleurs } from "#db/schema";
import { asSubject } from "#policies/ability";
import type { Action, SubjectName } from "#policies/rules";
import type { ObligationKind } from "~/domain/obligations";
import { obligationTodos, type Todo } from "~/domain/todo";
import type { Actor } from "~/lib/actor.server";
import { obligationsOf } from "./calendar.server";
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

/**
 * The actions waiting for the actor, nearest deadline first: the calendar's open obligations its role lets it do,
 * the signalements to acknowledge, the CRIB cases to answer or to give a pilot. One aggregate query beside the
 * calendar's; each part is asked of the policy first.
 */
export async function todosOf(actor: Actor, now = new Date()): Promise<Todo[]> {
  const { ability, organisation } = actor;
  const own = { organisationId: organisation.id, partyIds: [organisation.id], published: true };
  const acknowledges = ability.can("update", asSubject("Signalement", own));
  const answersCrib = ability.can("create", asSubject("CribAnswer", own));
  const followsCrib = ability.can("update", asSubject("CribCase", own));
  const [obligations, [counts]] = await Promise.all([
    ability.can("read", "Calendar") ? obligationsOf(organisation, now) : [],
    queryRows<{
      toAcknowledge: number;
      oldestMs: number | null;
      cribToAnswer: number;
      cribNoPilot: number;
    }>(sql`
      select
        ${acknowledges ? sql`(select count(*)::int from ${signalementBailleurs} where ${signalementBailleurs.bailleurId} = ${organisation.id} and ${signalementBailleurs.status} = 'sent')` : sql`0`} as "toAcknowledge",
        ${acknowledges ? sql`(select (extract(epoch from min(${signalementBailleurs.createdAt})) * 1000)::float8 from ${signalementBailleurs} where ${signalementBailleurs.bailleurId} = ${organisation.id} and ${signalementBailleurs.status} = 'sent')` : sql`null`} as "oldestMs",
        ${answersCrib ? sql`(select count(*)::int from ${cribCases} join ${cribSessions} on ${cribSessions.id} = ${cribCases.sessionId} where ${cribSessions.publishedAt} is not null and ${cribCases.status} = 'open' and not exists (select 1 from ${cribAnswers} where ${cribAnswers.caseId} = ${cribCases.id} and ${cribAnswers.bailleurId} = ${organisation.id}))` : sql`0`} as "cribToAnswer",
        ${followsCrib ? sql`(select count(*)::int from ${cribCases} join ${cribSessions} on ${cribSessions.id} = ${cribCases.sessionId} where ${cribSessions.publishedAt} is not null and ${cribCases.status} = 'open' and ${cribCases.pilotBailleurId} is null)` : sql`0`} as "cribNoPilot"
    `),
  ]);
  const todos = obligationTodos(
    obligations.filter((o) => {
      const needs = OBLIGATION_PERMISSIONS[o.kind];
      return needs !== null && ability.can(...needs);
    }),
  );
  const extra: Todo[] = [];
  if (counts && counts.toAcknowledge > 0) {
    const dueAt = new Date(counts.oldestMs! + ackAlertDays() * DAY_MS);
    extra.push({
      key: "signalements",
      title: "Accuser réception des signalements reçus",
      count: counts.toAcknowledge,
      dueAt,
      late: now >= dueAt,
      url: "/signalements?status=sent",
    });
  }
  if (counts && counts.cribToAnswer > 0)
    extra.push({
      key: "crib-answers",
      title: "Répondre aux cas de la liste de la CRIB",
      count: counts.cribToAnswer,
      dueAt: null,
      late: false,
      url: "/crib",
    });
  if (counts && counts.cribNoPilot > 0)
    extra.push({
      key: "crib-pilots",
      title: "Désigner le bailleur pilote des cas de la CRIB",
      count: counts.cribNoPilot,
      dueAt: null,
      late: false,
      url: "/crib",
    });
  return [...todos, ...extra].sort(
    (a, b) =>
      (a.dueAt?.getTime() ?? Number.POSITIVE_INFINITY) - (b.dueAt?.getTime() ?? Number.POSITIVE_INFINITY),
  );
}
