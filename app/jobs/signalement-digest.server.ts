import { and, asc, inArray, isNull, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { mailDigestItems, users } from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import { signalementDigestMail } from "#emails/templates";
import { parisDay } from "~/lib/dates";
import { publicUrl } from "~/lib/route-params.server";

/**
 * The daily digest: each user's signalement news queued before today (Paris) become one mail, and are stamped.
 * Run as often as the jobs run: only yesterday's and older lines leave, so a user gets one digest a day; lines are
 * claimed with FOR UPDATE SKIP LOCKED, so two runs at once never send a line twice.
 */
export async function signalementDigestJob(now: Date, baseUrl = publicUrl()): Promise<{ digests: number }> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .select({ id: mailDigestItems.id, userId: mailDigestItems.userId, line: mailDigestItems.line })
      .from(mailDigestItems)
      .where(
        and(
          isNull(mailDigestItems.digestedAt),
          sql`${mailDigestItems.createdAt} < ((${parisDay(now)}::date)::timestamp at time zone 'Europe/Paris')`,
        ),
      )
      .orderBy(asc(mailDigestItems.userId), asc(mailDigestItems.id))
      .for("update", { skipLocked: true });
    if (claimed.length === 0) return { digests: 0 };
    const byUser = new Map<string, string[]>();
    for (const c of claimed) byUser.set(c.userId, [...(byUser.get(c.userId) ?? []), c.line]);
    const emails = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(inArray(users.id, [...byUser.keys()]));
    for (const { id, email } of emails)
      await enqueueMail(
        tx,
        signalementDigestMail({ to: email, lines: byUser.get(id)!, url: `${baseUrl}/signalements` }),
      );
    await tx
      .update(mailDigestItems)
      .set({ digestedAt: now })
      .where(
        inArray(
          mailDigestItems.id,
          claimed.map((c) => c.id),
        ),
      );
    return { digests: emails.length };
  });
}
