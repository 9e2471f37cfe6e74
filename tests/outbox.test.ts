import { eq, isNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import { deliverOutbox, enqueueMail, enqueueMails, type Transport } from "#emails/outbox.server";
import { htmlOf, passwordResetMail } from "#emails/templates";

type Sent = Parameters<Transport["send"]>[0];

/** A transport that records what it sends, yielding to the event loop so that concurrent runs interleave. */
function fakeTransport(fail: (mail: Sent) => boolean = () => false) {
  const sent: Sent[] = [];
  const transport: Transport = {
    send: async (mail) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      if (fail(mail)) throw new Error(`SMTP indisponible pour ${mail.to}`);
      sent.push(mail);
    },
  };
  return { sent, transport };
}

const soon = () => new Date(Date.now() + 5_000);

beforeEach(async () => {
  // Start every test with an empty outbox (the outbox, unlike the audit log, may be emptied).
  await db.delete(emailOutbox);
});

describe("outbox", () => {
  it("sends each of 30 mails exactly once when two senders run at the same time", async () => {
    for (let i = 0; i < 30; i++)
      await enqueueMail(
        db,
        passwordResetMail({ to: `destinataire${i}@exemple.fr`, url: `https://x/${i}`, expiresAt: "10:00" }),
      );
    const { sent, transport } = fakeTransport();
    const now = soon();
    const [a, b] = await Promise.all([
      deliverOutbox(db, transport, { now }),
      deliverOutbox(db, transport, { now }),
    ]);
    expect(a.sent + b.sent).toBe(30);
    expect(a.failed + b.failed).toBe(0);
    expect(sent).toHaveLength(30);
    expect(new Set(sent.map((m) => m.to)).size).toBe(30);
    const rows = await db.select().from(emailOutbox);
    expect(rows.every((r) => r.sentAt !== null && r.attempts === 1)).toBe(true);
    // A third run finds nothing left to send.
    expect(await deliverOutbox(db, transport, { now })).toEqual({ sent: 0, failed: 0 });
    expect(sent).toHaveLength(30);
    expect(sent[0]!.from).toMatch(/Portail flux MEL/);
  });

  it("sends the HTML part made from the kept text: paragraphs escaped, the call to action as a link, the footer", async () => {
    await enqueueMail(
      db,
      passwordResetMail({ to: "a@exemple.fr", url: "https://portail.test/r?a=1&b=<2>", expiresAt: "10:00" }),
    );
    const { sent, transport } = fakeTransport();
    await deliverOutbox(db, transport, { now: soon() });
    const html = sent[0]!.html.split("\n");
    expect(html[0]).toBe("<p>Bonjour,</p>");
    expect(html).toContain(
      '<p><a href="https://portail.test/r?a=1&amp;b=&lt;2&gt;">Choisir un nouveau mot de passe</a></p>',
    );
    expect(html.at(-1)).toMatch(/^<p style="[^"]+">Portail partenaires .* Lille\.<\/p>$/);
    expect(html.filter((line) => line.includes("<a "))).toHaveLength(1);
    expect(sent[0]!.html).toBe(htmlOf(sent[0]!.text));
  });

  it("queues a mail written once for several recipients as one mail each, in one statement", async () => {
    const mail = passwordResetMail({ to: "-", url: "https://x/1", expiresAt: "10:00" });
    await enqueueMails(db, [
      { ...mail, to: ["a@exemple.fr", "b@exemple.fr"] },
      { ...mail, to: "c@exemple.fr" },
    ]);
    const { sent, transport } = fakeTransport();
    expect(await deliverOutbox(db, transport, { now: soon() })).toEqual({ sent: 3, failed: 0 });
    expect(sent.map((m) => m.to).sort()).toEqual(["a@exemple.fr", "b@exemple.fr", "c@exemple.fr"]);
    expect(new Set(sent.map((m) => m.text))).toEqual(new Set([mail.text]));
  });

  it("records a failure, retries later with back-off, and sends the mail on a later run", async () => {
    await enqueueMail(
      db,
      passwordResetMail({ to: "panne@exemple.fr", url: "https://x/panne", expiresAt: "10:00" }),
    );
    const t0 = soon();
    const failing = fakeTransport(() => true);
    expect(await deliverOutbox(db, failing.transport, { now: t0 })).toEqual({ sent: 0, failed: 1 });
    let [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.to, "panne@exemple.fr"));
    expect(row).toMatchObject({
      attempts: 1,
      sentAt: null,
      lastError: "SMTP indisponible pour panne@exemple.fr",
    });
    expect(row!.nextAttemptAt.getTime()).toBe(t0.getTime() + 60_000);

    // Not due yet: a run right away leaves it alone.
    const working = fakeTransport();
    expect(await deliverOutbox(db, working.transport, { now: new Date(t0.getTime() + 30_000) })).toEqual({
      sent: 0,
      failed: 0,
    });

    // Fails again a minute later: the next try waits two minutes.
    const t1 = new Date(t0.getTime() + 60_000);
    expect(await deliverOutbox(db, failing.transport, { now: t1 })).toEqual({ sent: 0, failed: 1 });
    [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.to, "panne@exemple.fr"));
    expect(row!.attempts).toBe(2);
    expect(row!.nextAttemptAt.getTime()).toBe(t1.getTime() + 120_000);

    const t2 = new Date(t1.getTime() + 120_000);
    expect(await deliverOutbox(db, working.transport, { now: t2 })).toEqual({ sent: 1, failed: 0 });
    expect(working.sent.map((m) => m.to)).toEqual(["panne@exemple.fr"]);
    [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.to, "panne@exemple.fr"));
    expect(row!.sentAt?.getTime()).toBe(t2.getTime());
    expect(row!.attempts).toBe(3);
  });

  it("a failing mail does not hold back the others", async () => {
    for (const to of ["a@exemple.fr", "b@exemple.fr", "c@exemple.fr"])
      await enqueueMail(db, passwordResetMail({ to, url: "https://x", expiresAt: "10:00" }));
    const { sent, transport } = fakeTransport((m) => m.to === "b@exemple.fr");
    expect(await deliverOutbox(db, transport, { now: soon() })).toEqual({ sent: 2, failed: 1 });
    expect(sent.map((m) => m.to).sort()).toEqual(["a@exemple.fr", "c@exemple.fr"]);
    const pending = await db.select().from(emailOutbox).where(isNull(emailOutbox.sentAt));
    expect(pending.map((r) => r.to)).toEqual(["b@exemple.fr"]);
  });
});

describe("outbox give-up", () => {
  it("stops trying a mail after 8 failed attempts (kept in the outbox with its last error)", async () => {
    await db.delete(emailOutbox);
    await enqueueMail(
      db,
      passwordResetMail({ to: "jamais@exemple.fr", url: "https://x", expiresAt: "10:00" }),
    );
    const failing = fakeTransport(() => true);
    let now = soon();
    for (let attempt = 1; attempt <= 8; attempt++) {
      expect(await deliverOutbox(db, failing.transport, { now }), `attempt ${attempt}`).toEqual({
        sent: 0,
        failed: 1,
      });
      now = new Date(now.getTime() + 24 * 3600_000);
    }
    const working = fakeTransport();
    expect(await deliverOutbox(db, working.transport, { now })).toEqual({ sent: 0, failed: 0 });
    const [row] = await db.select().from(emailOutbox);
    expect(row).toMatchObject({
      attempts: 8,
      sentAt: null,
      lastError: "SMTP indisponible pour jamais@exemple.fr",
    });
  });
});
