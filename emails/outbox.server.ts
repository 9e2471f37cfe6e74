import { sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import { type Db, queryRows } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import { singleLine } from "~/lib/single-line";
import { htmlOf, type Mail } from "./templates";

/**
 * Queues a mail; call it with the transaction of the change that causes it, so that both land or neither. Its subject
 * is stored on one line (names typed by users end up there).
 */
export async function enqueueMail(tx: Db, mail: Mail): Promise<void> {
  await tx.insert(emailOutbox).values({ ...mail, subject: singleLine(mail.subject) });
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
    const chunk = JSON.stringify(
      mails
        .slice(i, i + 2000)
        .map((mail) => ({ ...mail, to: [mail.to].flat(), subject: singleLine(mail.subject) })),
    );
    await tx.execute(
      sql`insert into ${emailOutbox} ("to", subject, text)
        select recipient, m.subject, m.text
        from json_to_recordset(${chunk}::json) as m("to" text[], subject text, text text)
          cross join unnest(m."to") as recipient`,
    );
  }
}

/** A mail as it leaves: its sender and its HTML part added. */
export type OutgoingMail = Mail & { from: string; html: string };

/** Sends one mail; throws when the server refuses it (a nodemailer error carries the SMTP `responseCode`). */
export type Transport = { send: (mail: OutgoingMail) => Promise<void>; close: () => void };

/**
 * SMTP connections a sender keeps open; each carries one mail at a time. 10: on the benchmark (a local server, loaded
 * machine) 5 connections delivered 526 mails/s, 10 delivered 627/s, 20 no more (638/s).
 */
const SMTP_CONNECTIONS = Number(process.env.SMTP_MAX_CONNECTIONS ?? 10);

/**
 * The SMTP transport of `url` (default `SMTP_URL`), or none: without it mails stay in the outbox, readable by MEL
 * admins. Pooled: a few connections stay open and carry mail after mail, instead of a handshake per mail.
 */
export function smtpTransport(url = process.env.SMTP_URL): Transport | null {
  if (!url) return null;
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    maxMessages: Number.POSITIVE_INFINITY,
  });
  return { send: async (mail) => void (await transporter.sendMail(mail)), close: () => transporter.close() };
}

const MAX_ATTEMPTS = 8;
/** Back-off between attempts: 1, 2, 4 … minutes. */
const retryDelayMs = (attempts: number) => 60_000 * 2 ** (attempts - 1);
/** How long a sender holds the mails it claimed: should it die, they are due again once this has passed. */
export const LEASE_MS = 5 * 60_000;
/** Mails claimed at once: a batch leaves in about a second at the pool's pace, well within the lease. */
const BATCH = 500;

/** A refusal for good (SMTP 5xx: unknown mailbox, rejected content…): trying again would get the same answer. */
const isPermanent = (error: unknown) => {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
};

type Claimed = { id: number; to: string; subject: string; text: string; attempts: number };
export type DeliveryCounts = { sent: number; retried: number; givenUp: number };

/**
 * Claims up to `limit` due mails in one short statement (SKIP LOCKED: two senders take different mails), counting the
 * attempt and leasing them until `leaseEnd` (their `next_attempt_at`). Nothing stays locked while the mails travel.
 */
export async function claimMails(db: Db, now: Date, leaseEnd: Date, limit: number): Promise<Claimed[]> {
  const rows = await queryRows<Claimed>(
    sql`update ${emailOutbox} o
      set attempts = o.attempts + 1, next_attempt_at = ${leaseEnd.toISOString()}::timestamptz
      from (
        select id from ${emailOutbox}
        where sent_at is null and failed_at is null and next_attempt_at <= ${now.toISOString()}::timestamptz
        order by next_attempt_at
        limit ${limit}
        for update skip locked
      ) due
      where o.id = due.id
      returning o.id, o."to", o.subject, o.text, o.attempts`,
    db,
  );
  // A bigint: a string from postgres.js.
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** A claimed mail's outcome, as its row's new columns. */
type Outcome = {
  id: number;
  attempts: number;
  sent_at: string | null;
  failed_at: string | null;
  last_error: string | null;
  next_attempt_at: string | null;
};

function outcomeOf(mail: Claimed, now: Date, error: unknown): [keyof DeliveryCounts, Outcome] {
  const row = { id: mail.id, attempts: mail.attempts, sent_at: null, failed_at: null, next_attempt_at: null };
  if (error === undefined) return ["sent", { ...row, sent_at: now.toISOString(), last_error: null }];
  const lastError = error instanceof Error ? error.message : String(error);
  if (isPermanent(error) || mail.attempts >= MAX_ATTEMPTS)
    return ["givenUp", { ...row, failed_at: now.toISOString(), last_error: lastError }];
  const retryAt = new Date(now.getTime() + retryDelayMs(mail.attempts)).toISOString();
  return ["retried", { ...row, last_error: lastError, next_attempt_at: retryAt }];
}

/**
 * Writes outcomes in one statement (one JSON parameter, like `enqueueMails`); answers the ids it wrote. The claim's
 * attempt count fences each row: a sender whose lease ran out (stalled, then resumed) finds the mail claimed again,
 * changes nothing and learns it lost the batch.
 */
async function writeOutcomes(db: Db, outcomes: Outcome[]): Promise<Set<number>> {
  const written = await queryRows<{ id: number }>(
    sql`update ${emailOutbox} o
      set sent_at = r.sent_at, failed_at = r.failed_at, last_error = r.last_error,
        next_attempt_at = coalesce(r.next_attempt_at, o.next_attempt_at)
      from json_to_recordset(${JSON.stringify(outcomes)}::json) as r(
        id bigint, attempts int, sent_at timestamptz, failed_at timestamptz, last_error text,
        next_attempt_at timestamptz)
      where o.id = r.id and o.attempts = r.attempts and o.sent_at is null
      returning o.id`,
    db,
  );
  return new Set(written.map((row) => Number(row.id)));
}

/**
 * Records outcomes as they come, grouped: while one statement is being written, the outcomes that arrive wait and
 * leave together in the next one. Under load that is one statement for many mails; when idle, each is written at
 * once. `record` resolves once the outcome is written, with whether the row was still this sender's.
 */
function outcomeRecorder(db: Db) {
  type Waiting = { outcome: Outcome; resolve: (written: boolean) => void; reject: (error: unknown) => void };
  let waiting: Waiting[] = [];
  let writing = false;
  const writeAll = async () => {
    writing = true;
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      await writeOutcomes(
        db,
        group.map((w) => w.outcome),
      ).then(
        (written) => {
          for (const w of group) w.resolve(written.has(w.outcome.id));
        },
        (error: unknown) => {
          for (const w of group) w.reject(error);
        },
      );
    }
    writing = false;
  };
  return (outcome: Outcome) =>
    new Promise<boolean>((resolve, reject) => {
      waiting.push({ outcome, resolve, reject });
      if (!writing) void writeAll();
    });
}

/**
 * Sends every due mail, batch after batch, until none is left: each batch is claimed (and committed) first, then
 * sent with `concurrency` mails in flight over the pooled connections, each outcome recorded as soon as it is known.
 * A temporary failure is tried again later with back-off; a permanent refusal (5xx), or the eighth failure, gives the
 * mail up with its reason. Two senders at once never send a mail twice; one that dies leaves its unsent mails to the
 * next sender once its lease has passed.
 * `now` fixes the clock (tests, `npm run jobs -- --now`); otherwise each step reads it.
 */
export async function deliverOutbox(
  db: Db,
  transport: Transport,
  options: { now?: Date; batch?: number; concurrency?: number; from?: string } = {},
): Promise<DeliveryCounts> {
  const clock = () => options.now ?? new Date();
  const from = options.from ?? process.env.MAIL_FROM ?? "Portail flux MEL <no-reply@portail-flux.lille.fr>";
  const counts: DeliveryCounts = { sent: 0, retried: 0, givenUp: 0 };
  for (;;) {
    const now = clock();
    const batch = await claimMails(db, now, new Date(now.getTime() + LEASE_MS), options.batch ?? BATCH);
    if (batch.length === 0) return counts;
    // A sender stops sending its batch once half its lease has passed (paused, or far slower than expected) or once
    // it learns that another sender took a mail over: the rest is due again when the lease ends.
    const stopAt = Date.now() + LEASE_MS / 2;
    const record = outcomeRecorder(db);
    let next = 0;
    let lost = false;
    const worker = async () => {
      for (let mail = batch[next++]; mail && !lost && Date.now() < stopAt; mail = batch[next++]) {
        const error = await transport
          .send({ from, to: mail.to, subject: mail.subject, text: mail.text, html: htmlOf(mail.text) })
          .then(
            () => undefined,
            (failure: unknown) => failure ?? new Error("Échec d'envoi"),
          );
        const [kind, outcome] = outcomeOf(mail, clock(), error);
        if (await record(outcome)) counts[kind]++;
        else lost = true;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 2 * SMTP_CONNECTIONS }, worker));
  }
}
