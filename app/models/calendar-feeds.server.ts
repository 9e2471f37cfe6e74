import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { calendarFeeds } from "#db/schema";
import { ensureCan } from "#policies/guard.server";
import { OBLIGATION_KIND_LABELS, OBLIGATION_STATUS_LABELS } from "~/domain/obligations";
import { type Actor, actorOfMembership } from "~/lib/actor.server";
import { recordAudit } from "~/lib/audit.server";
import { parisYear } from "~/lib/dates";
import { notFoundError } from "~/lib/domain-error";
import { toICalendar } from "~/lib/icalendar";
import { publicUrl } from "~/lib/route-params.server";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { calendarOf } from "./calendar.server";

const auditOf = (actor: Actor) => ({ userId: actor.user.id, organisationId: actor.organisation.id });

/**
 * (Re)creates the actor's secret feed URL token, bound to the organisation they act for; the previous one stops
 * working. Only the SHA-256 is stored (like API tokens); the clear token is shown once.
 */
export async function createCalendarFeed(actor: Actor): Promise<string> {
  ensureCan(actor.ability, "create", "CalendarFeed");
  const token = generateToken("cal_");
  await db.transaction(async (tx) => {
    await tx.delete(calendarFeeds).where(eq(calendarFeeds.userId, actor.user.id));
    await tx
      .insert(calendarFeeds)
      .values({ userId: actor.user.id, organisationId: actor.organisation.id, tokenHash: hashToken(token) });
    await recordAudit(tx, auditOf(actor), { action: "calendar_feed.create", subjectType: "CalendarFeed" });
  });
  return token;
}

export async function hasCalendarFeed(actor: Actor): Promise<boolean> {
  const [row] = await db
    .select({ id: calendarFeeds.id })
    .from(calendarFeeds)
    .where(eq(calendarFeeds.userId, actor.user.id));
  return row !== undefined;
}

export async function revokeCalendarFeed(actor: Actor): Promise<void> {
  ensureCan(actor.ability, "delete", "CalendarFeed");
  await db.transaction(async (tx) => {
    await tx.delete(calendarFeeds).where(eq(calendarFeeds.userId, actor.user.id));
    await recordAudit(tx, auditOf(actor), { action: "calendar_feed.revoke", subjectType: "CalendarFeed" });
  });
}

/**
 * The iCalendar text of a feed token: the obligations of the organisation it was made for, while its user is still
 * an active member with the right to read that calendar. Anything else answers 404.
 */
export async function calendarFeedText(token: string, now = new Date()): Promise<string> {
  const [row] = await db
    .select({ userId: calendarFeeds.userId, organisationId: calendarFeeds.organisationId })
    .from(calendarFeeds)
    .where(eq(calendarFeeds.tokenHash, hashToken(token)));
  const feed = "Ce calendrier";
  // The token stands for its user acting for that organisation: the same actor, and the same policy, as a session.
  const actor = row ? await actorOfMembership(row.userId, row.organisationId) : null;
  if (!actor?.ability.can("read", "Calendar")) throw notFoundError(feed);
  const base = publicUrl();
  // This year and the next: a meeting convened in November for January is in the agendas at once.
  const year = parisYear(now);
  const items = (await Promise.all([year, year + 1].map((y) => calendarOf(actor, now, y)))).flat();
  return toICalendar(
    items.map((item) => ({
      uid: `${item.key}@portail-flux-mel`,
      // The last day to do it (the day before the exclusive deadline); a meeting's own day.
      day: item.event ? item.dueAt : new Date(item.dueAt.getTime() - 1),
      startsAt: item.startsAt,
      summary: `${OBLIGATION_STATUS_LABELS[item.status]} — ${item.subject}`,
      description: `${OBLIGATION_KIND_LABELS[item.kind]} : ${OBLIGATION_STATUS_LABELS[item.status].toLowerCase()}.`,
      ...(base ? { url: `${base}${item.url}` } : {}),
    })),
    { name: `Obligations — ${actor.organisation.name}`, now },
  );
}
