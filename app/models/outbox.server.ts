import { and, desc, eq, ilike, isNotNull, isNull, lt, or, type SQL } from "drizzle-orm";
import { db } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import { ensureCan } from "#policies/guard.server";
import type { MailStatus } from "~/domain/mail-status";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { recordAudit } from "~/lib/audit.server";
import { DomainError } from "~/lib/domain-error";
import { containing } from "~/lib/sql-search.server";

const STATUS_CONDITIONS: Record<MailStatus, SQL> = {
  pending: and(isNull(emailOutbox.sentAt), isNull(emailOutbox.failedAt), isNull(emailOutbox.lastError))!,
  retrying: and(isNull(emailOutbox.sentAt), isNull(emailOutbox.failedAt), isNotNull(emailOutbox.lastError))!,
  sent: isNotNull(emailOutbox.sentAt),
  failed: isNotNull(emailOutbox.failedAt),
};

export const OUTBOX_PAGE_SIZE = 50;
const READ_REFUSED = "La boîte d'envoi est réservée aux administrateurs de la MEL.";

/**
 * A page of the outbox, newest first (MEL admins; the only way to read mails when SMTP is not configured):
 * `search` in the recipient or the subject, one status, `before` a mail's id (the previous page's `next`).
 */
export async function listMails(
  actor: Actor,
  filter: { search?: string; status?: MailStatus; before?: number } = {},
) {
  ensureCan(actor.ability, "read", "EmailOutbox", READ_REFUSED);
  const search = filter.search?.trim();
  const rows = await db
    .select()
    .from(emailOutbox)
    .where(
      and(
        search
          ? or(ilike(emailOutbox.to, containing(search)), ilike(emailOutbox.subject, containing(search)))
          : undefined,
        filter.status ? STATUS_CONDITIONS[filter.status] : undefined,
        filter.before ? lt(emailOutbox.id, filter.before) : undefined,
      ),
    )
    .orderBy(desc(emailOutbox.id))
    .limit(OUTBOX_PAGE_SIZE + 1);
  const mails = rows.slice(0, OUTBOX_PAGE_SIZE).map((row) => ({ ...row, status: statusOf(row) }));
  return { mails, next: rows.length > OUTBOX_PAGE_SIZE ? mails.at(-1)!.id : null };
}

function statusOf(row: typeof emailOutbox.$inferSelect): MailStatus {
  if (row.sentAt) return "sent";
  if (row.failedAt) return "failed";
  return row.lastError ? "retrying" : "pending";
}

/**
 * Queues again a mail given up for good (the address corrected at the recipient's end, the server fixed…): it is
 * due at once, with a fresh count of attempts. Audited with the refusal it had.
 */
export async function resendMail(actor: Actor, id: number, now = new Date()): Promise<void> {
  ensureCan(actor.ability, "update", "EmailOutbox", READ_REFUSED);
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.id, id), isNotNull(emailOutbox.failedAt)))
      .for("update");
    if (!before)
      throw new DomainError(
        "conflict",
        "Ce courriel n'est pas en échec définitif : il n'y a rien à renvoyer.",
      );
    await tx
      .update(emailOutbox)
      .set({ failedAt: null, lastError: null, attempts: 0, nextAttemptAt: now })
      .where(eq(emailOutbox.id, id));
    await recordAudit(tx, auditActorOf(actor), {
      action: "email.resend",
      subjectType: "EmailOutbox",
      subjectId: String(id),
      before: {
        to: before.to,
        subject: before.subject,
        attempts: before.attempts,
        lastError: before.lastError,
      },
      after: { status: "pending" },
    });
  });
}
