import { asc, eq, isNull } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { databaseDriver, db } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import {
  deliverOutbox,
  enqueueMail,
  enqueueMails,
  LEASE_MS,
  smtpTransport,
  type Transport,
} from "#emails/outbox.server";
import { htmlOf, passwordResetMail } from "#emails/templates";
import { startSmtpServer } from "./helpers/smtp";

type Sent = Parameters<Transport["send"]>[0];

/** A transport that records what it would send: for the mail's parts, before any SMTP encoding. */
function recordingTransport() {
  const sent: Sent[] = [];
  const transport: Transport = { send: async (mail) => void sent.push(mail), close: () => {} };
  return { sent, transport };
}

const soon = () => new Date(Date.now() + 5_000);
const later = (date: Date, ms: number) => new Date(date.getTime() + ms);

async function queue(count: number, prefix = "destinataire") {
  for (let i = 0; i < count; i++)
    await enqueueMail(db, { to: `${prefix}${i}@exemple.fr`, subject: `Message ${i}`, text: `Bonjour ${i}` });
}

/** A local SMTP server and a pooled transport to it, closed after the test. */
async function smtp(options: Parameters<typeof startSmtpServer>[0] = {}) {
  const server = await startSmtpServer(options);
  const transport = smtpTransport(server.url)!;
  cleanups.push(
    async () => {
      server.release();
      await server.close();
    },
    async () => transport.close(),
  );
  return { server, transport };
}
const cleanups: Array<() => Promise<void>> = [];

/** Last opened, first closed: the transports before the server they talk to. */
const cleanUp = async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
};
beforeEach(async () => {
  // Start every test with an empty outbox (the outbox, unlike the audit log, may be emptied).
  await db.delete(emailOutbox);
  await cleanUp();
});
afterAll(cleanUp);

const rows = () => db.select().from(emailOutbox).orderBy(asc(emailOutbox.id));

describe("outbox sender, against a real SMTP server", () => {
  it("delivers every due mail to its recipient with its subject, in batches until the outbox is empty", async () => {
    await queue(45);
    const { server, transport } = await smtp();
    const now = soon();
    expect(await deliverOutbox(db, transport, { now, batch: 10 })).toEqual({
      sent: 45,
      retried: 0,
      givenUp: 0,
    });
    expect(server.received).toHaveLength(45);
    const byRecipient = new Map(server.received.map((m) => [m.to, m]));
    for (let i = 0; i < 45; i++) {
      const mail = byRecipient.get(`destinataire${i}@exemple.fr`);
      expect(mail?.subject).toBe(`Message ${i}`);
      expect(mail?.raw).toMatch(/^From: Portail flux MEL/m);
    }
    expect((await rows()).every((r) => r.sentAt?.getTime() === now.getTime() && r.attempts === 1)).toBe(true);
    // A second run finds nothing left to send.
    expect(await deliverOutbox(db, transport, { now })).toEqual({ sent: 0, retried: 0, givenUp: 0 });
    expect(server.received).toHaveLength(45);
  });

  it("queues a mail written once for several recipients as one mail each, in one statement", async () => {
    const mail = passwordResetMail({ to: "-", url: "https://x/1", expiresAt: "10:00" });
    await enqueueMails(db, [
      { ...mail, to: ["a@exemple.fr", "b@exemple.fr"] },
      { ...mail, to: "c@exemple.fr" },
    ]);
    const { server, transport } = await smtp();
    expect(await deliverOutbox(db, transport, { now: soon() })).toMatchObject({ sent: 3 });
    expect(server.received.map((m) => m.to).sort()).toEqual(["a@exemple.fr", "b@exemple.fr", "c@exemple.fr"]);
  });

  it("retries a temporary refusal (4xx) later with back-off, without holding back the others", async () => {
    await queue(3);
    let busy = true;
    const { server, transport } = await smtp({
      refuse: (to) =>
        busy && to === "destinataire1@exemple.fr"
          ? { code: 452, message: "Boîte pleine, réessayez" }
          : undefined,
    });
    const t0 = soon();
    expect(await deliverOutbox(db, transport, { now: t0 })).toEqual({ sent: 2, retried: 1, givenUp: 0 });
    expect(server.received.map((m) => m.to).sort()).toEqual([
      "destinataire0@exemple.fr",
      "destinataire2@exemple.fr",
    ]);
    let [row] = await db.select().from(emailOutbox).where(isNull(emailOutbox.sentAt));
    expect(row).toMatchObject({ to: "destinataire1@exemple.fr", attempts: 1, sentAt: null, failedAt: null });
    expect(row!.lastError).toMatch(/452 Boîte pleine/);
    expect(row!.nextAttemptAt.getTime()).toBe(t0.getTime() + 60_000);

    // Not due yet: a run right away leaves it alone.
    expect(await deliverOutbox(db, transport, { now: later(t0, 30_000) })).toEqual({
      sent: 0,
      retried: 0,
      givenUp: 0,
    });
    // Refused again a minute later: the next try waits two minutes.
    const t1 = later(t0, 60_000);
    expect(await deliverOutbox(db, transport, { now: t1 })).toMatchObject({ retried: 1 });
    [row] = await db.select().from(emailOutbox).where(isNull(emailOutbox.sentAt));
    expect(row!.nextAttemptAt.getTime()).toBe(t1.getTime() + 120_000);

    busy = false;
    const t2 = later(t1, 120_000);
    expect(await deliverOutbox(db, transport, { now: t2 })).toEqual({ sent: 1, retried: 0, givenUp: 0 });
    expect(server.received.at(-1)?.to).toBe("destinataire1@exemple.fr");
    [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.to, "destinataire1@exemple.fr"));
    expect(row).toMatchObject({ attempts: 3, lastError: null, failedAt: null });
    expect(row!.sentAt?.getTime()).toBe(t2.getTime());
  });

  it("gives up a mail refused for good (5xx) with its reason, and never tries it again", async () => {
    await queue(2);
    const { server, transport } = await smtp({
      refuse: (to) =>
        to === "destinataire0@exemple.fr" ? { code: 550, message: "Adresse inconnue" } : undefined,
    });
    const now = soon();
    expect(await deliverOutbox(db, transport, { now })).toEqual({ sent: 1, retried: 0, givenUp: 1 });
    const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.to, "destinataire0@exemple.fr"));
    expect(row).toMatchObject({ attempts: 1, sentAt: null });
    expect(row!.failedAt?.getTime()).toBe(now.getTime());
    expect(row!.lastError).toMatch(/550 Adresse inconnue/);
    expect(await deliverOutbox(db, transport, { now: later(now, 30 * 24 * 3600_000) })).toEqual({
      sent: 0,
      retried: 0,
      givenUp: 0,
    });
    expect(server.received.map((m) => m.to)).toEqual(["destinataire1@exemple.fr"]);
  });

  it("gives up after 8 temporary refusals, kept in the outbox with the last reason", async () => {
    await queue(1, "jamais");
    const { server, transport } = await smtp({ refuse: () => ({ code: 451, message: "Panne locale" }) });
    let now = soon();
    for (let attempt = 1; attempt <= 7; attempt++) {
      expect(await deliverOutbox(db, transport, { now }), `attempt ${attempt}`).toMatchObject({ retried: 1 });
      now = later(now, 24 * 3600_000);
    }
    expect(await deliverOutbox(db, transport, { now })).toEqual({ sent: 0, retried: 0, givenUp: 1 });
    const [row] = await rows();
    expect(row).toMatchObject({ attempts: 8, sentAt: null });
    expect(row!.failedAt).not.toBeNull();
    expect(row!.lastError).toMatch(/451 Panne locale/);
    expect(await deliverOutbox(db, transport, { now: later(now, 24 * 3600_000) })).toMatchObject({
      givenUp: 0,
    });
    expect(server.received).toHaveLength(0);
  });

  it("a sender stalled mid-batch holds its mails until its lease ends; then another sends each of them once", async () => {
    await queue(20);
    // The first sender's 6th mail never gets its answer: the sender is as good as dead, its lease never released.
    const { server, transport } = await smtp({ hold: (count) => count === 6 });
    const t0 = soon();
    const stalled = deliverOutbox(db, transport, { now: t0, concurrency: 1 });
    await expect.poll(() => server.seen(), { timeout: 10_000 }).toBe(6);
    expect(server.received).toHaveLength(5);

    const other = smtpTransport(server.url)!;
    cleanups.push(async () => other.close());
    // Within the lease, the claimed mails are not due.
    expect(await deliverOutbox(db, other, { now: later(t0, LEASE_MS - 1_000) })).toEqual({
      sent: 0,
      retried: 0,
      givenUp: 0,
    });
    // After it, the 15 mails not recorded as sent leave once, the held one included.
    const t1 = later(t0, LEASE_MS + 1_000);
    expect(await deliverOutbox(db, other, { now: t1 })).toEqual({ sent: 15, retried: 0, givenUp: 0 });
    const recipients = server.received.map((m) => m.to);
    expect(recipients).toHaveLength(20);
    expect(new Set(recipients).size).toBe(20);

    // The stalled sender wakes up to an error: its late outcome changes nothing (the mail was claimed again since).
    server.release();
    expect(await stalled).toEqual({ sent: 5, retried: 0, givenUp: 0 });
    const all = await rows();
    expect(all.every((r) => r.sentAt !== null && r.lastError === null && r.failedAt === null)).toBe(true);
    expect(all.filter((r) => r.attempts === 2)).toHaveLength(15);
  });

  it.skipIf(databaseDriver() === "pglite")(
    "two senders at once never send a mail twice (PostgreSQL: PGlite has one connection, so no real race)",
    async () => {
      await queue(300);
      const { server, transport } = await smtp();
      const other = smtpTransport(server.url)!;
      cleanups.push(async () => other.close());
      const now = soon();
      const [a, b] = await Promise.all([
        deliverOutbox(db, transport, { now, batch: 20 }),
        deliverOutbox(db, other, { now, batch: 20 }),
      ]);
      expect(a.sent + b.sent).toBe(300);
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
      expect(server.received).toHaveLength(300);
      expect(new Set(server.received.map((m) => m.to)).size).toBe(300);
      expect((await rows()).every((r) => r.sentAt !== null && r.attempts === 1)).toBe(true);
    },
  );
});

describe("outbox mail parts", () => {
  it("sends the HTML part made from the kept text: paragraphs escaped, the call to action as a link, the footer", async () => {
    await enqueueMail(
      db,
      passwordResetMail({ to: "a@exemple.fr", url: "https://portail.test/r?a=1&b=<2>", expiresAt: "10:00" }),
    );
    const { sent, transport } = recordingTransport();
    await deliverOutbox(db, transport, { now: soon() });
    const html = sent[0]!.html.split("\n");
    expect(html[0]).toBe("<p>Bonjour,</p>");
    expect(html).toContain(
      '<p><a href="https://portail.test/r?a=1&amp;b=&lt;2&gt;">Choisir un nouveau mot de passe</a></p>',
    );
    expect(html.at(-1)).toMatch(/^<p style="[^"]+">Portail partenaires .* Lille\.<\/p>$/);
    expect(html.filter((line) => line.includes("<a "))).toHaveLength(1);
    expect(sent[0]!.html).toBe(htmlOf(sent[0]!.text));
    expect(sent[0]!.from).toMatch(/Portail flux MEL/);
  });
});
