import { and, asc, eq, isNull, lt, lte, sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Db } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import { htmlOf, type Mail } from "./templates";

/** Queues a mail; call it with the transaction of the change that causes it, so that both land or neither. */
export async function enqueueMail(tx: Db, mail: Mail): Promise<void> {
  await tx.insert(emailOutbox).values(mail);
}

/** A mail whose text does not depend on its recipient: one outbox row per address of `to`. */
export type MailToMany = Omit<Mail, "to"> & { to: string | string[] };

/**
 * Queues many mails in the caller's transaction (jobs handling thousands of rows): each chunk is one statement with
 * one JSON parameter, which the database unpacks (json_to_recordset) — far cheaper than a parameter per column —
 * and fans out to each recipient, so a text sent to several people travels once.
 */
export async function enqueueMails(tx: Db, mails: MailToMany[]): Promise<void> {
  for (let i = 0; i < mails.length; i += 2000) {
    const chunk = JSON.stringify(mails.slice(i, i + 2000).map((mail) => ({ ...mail, to: [mail.to].flat() })));
    await tx.execute(
      sql`insert into ${emailOutbox} ("to", subject, text)
        select recipient, m.subject, m.text
        from json_to_recordset(${chunk}::json) as m("to" text[], subject text, text text)
          cross join unnest(m."to") as recipient`,
    );
  }
}

export type Transport = { send: (mail: Mail & { from: string; html: string }) => Promise<void> };

/** The SMTP transport of `SMTP_URL`, or none: without it mails stay in the outbox, readable by MEL admins. */
export function smtpTransport(): Transport | null {
  const url = process.env.SMTP_URL;
  if (!url) return null;
  const transporter = nodemailer.createTransport(url);
  return { send: async (mail) => void (await transporter.sendMail(mail)) };
}

const MAX_ATTEMPTS = 8;
/** Back-off between attempts: 1, 2, 4 … minutes. */
const retryDelayMs = (attempts: number) => 60_000 * 2 ** (attempts - 1);

/**
 * Sends due mails, each in its own transaction with its row locked (SKIP LOCKED), so that two senders running at
 * once never send the same mail twice. A failure is recorded and retried later with back-off.
 */
export async function deliverOutbox(
  db: Db,
  transport: Transport,
  options: { now?: Date; batch?: number; from?: string } = {},
): Promise<{ sent: number; failed: number }> {
  const now = options.now ?? new Date();
  const from = options.from ?? process.env.MAIL_FROM ?? "Portail flux MEL <no-reply@portail-flux.lille.fr>";
  let sent = 0;
  let failed = 0;
  for (let i = 0; i < (options.batch ?? 100); i++) {
    const outcome = await db.transaction(async (tx) => {
      const [mail] = await tx
        .select()
        .from(emailOutbox)
        .where(
          and(
            isNull(emailOutbox.sentAt),
            lte(emailOutbox.nextAttemptAt, now),
            lt(emailOutbox.attempts, MAX_ATTEMPTS),
          ),
        )
        .orderBy(asc(emailOutbox.nextAttemptAt))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!mail) return "empty" as const;
      try {
        await transport.send({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: htmlOf(mail.text),
        });
        await tx
          .update(emailOutbox)
          .set({ sentAt: now, attempts: mail.attempts + 1 })
          .where(eq(emailOutbox.id, mail.id));
        return "sent" as const;
      } catch (error) {
        const attempts = mail.attempts + 1;
        await tx
          .update(emailOutbox)
          .set({
            attempts,
            lastError: error instanceof Error ? error.message : String(error),
            nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
          })
          .where(eq(emailOutbox.id, mail.id));
        return "failed" as const;
      }
    });
    if (outcome === "empty") break;
    if (outcome === "sent") sent++;
    else failed++;
  }
  return { sent, failed };
}
