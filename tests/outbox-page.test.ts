import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditLog, emailOutbox } from "#db/schema";
import { action, loader } from "~/routes/_app.plateforme.courriels";
import { browserOf } from "./helpers/cycle";
import { createUser, seedOnce } from "./helpers/fixtures";

type Browser = Awaited<ReturnType<typeof browserOf>>;
type Page = {
  mails: Array<{ id: number; to: string; subject: string; status: string }>;
  next: number | null;
};
let admin: Browser;
const ids: Record<string, number> = {};

beforeAll(async () => {
  await seedOnce();
  admin = await browserOf(await createUser("mel", ["admin"]));
  await db.delete(emailOutbox);
  // 120 mails, oldest first: every third sent, one given up, one waiting for its next try, the rest pending.
  for (let i = 0; i < 120; i++) {
    const [row] = await db
      .insert(emailOutbox)
      .values({
        to: `destinataire${i}@exemple.fr`,
        subject: i % 2 ? `Relance ${i}` : `Courrier ${i}`,
        text: `Bonjour,\n\nMessage ${i}.`,
        sentAt: i % 3 === 0 ? new Date() : null,
        failedAt: i === 7 ? new Date() : null,
        lastError: i === 7 ? "550 Adresse inconnue" : i === 8 ? "452 Boîte pleine" : null,
        attempts: i === 7 || i === 8 ? 1 : 0,
      })
      .returning({ id: emailOutbox.id });
    ids[i] = row!.id;
  }
});

const page = async (query = "") => (await admin.get(loader, `/plateforme/courriels${query}`)).body as Page;

describe("the outbox for support (MEL admins)", () => {
  it("pages 50 mails at a time, newest first, down to the oldest", async () => {
    const first = await page();
    expect(first.mails).toHaveLength(50);
    expect(first.mails[0]!.to).toBe("destinataire119@exemple.fr");
    const second = await page(`?before=${first.next}`);
    expect(second.mails[0]!.to).toBe("destinataire69@exemple.fr");
    const third = await page(`?before=${second.next}`);
    expect(third.mails.map((m) => m.to).at(-1)).toBe("destinataire0@exemple.fr");
    expect(third.mails).toHaveLength(20);
    expect(third.next).toBeNull();
  });

  it("searches the recipient or the subject, and filters by status", async () => {
    expect((await page("?q=DESTINATAIRE11")).mails.map((m) => m.to)).toEqual([
      "destinataire119@exemple.fr",
      "destinataire118@exemple.fr",
      "destinataire117@exemple.fr",
      "destinataire116@exemple.fr",
      "destinataire115@exemple.fr",
      "destinataire114@exemple.fr",
      "destinataire113@exemple.fr",
      "destinataire112@exemple.fr",
      "destinataire111@exemple.fr",
      "destinataire110@exemple.fr",
      "destinataire11@exemple.fr",
    ]);
    const reminders = await page("?q=relance&etat=envoye");
    expect(reminders.mails.map((m) => m.subject)).toEqual(
      Array.from({ length: 20 }, (_, k) => `Relance ${117 - 6 * k}`),
    );
    expect((await page("?etat=echec-definitif")).mails).toMatchObject([
      { to: "destinataire7@exemple.fr", status: "failed" },
    ]);
    expect((await page("?etat=nouvelle-tentative")).mails).toMatchObject([
      { to: "destinataire8@exemple.fr", status: "retrying" },
    ]);
    const pending = await page("?etat=en-attente");
    expect(pending.mails.every((m) => m.status === "pending")).toBe(true);
    expect(pending.mails).toHaveLength(50);
    // A « % » typed is looked for as such, not as « anything ».
    expect((await page("?q=%25")).mails).toEqual([]);
  });

  it("« Renvoyer » puts a mail given up back in the queue, audited; a mail not given up is refused", async () => {
    const resent = await admin.post(action, "/plateforme/courriels", {
      intent: "resend",
      id: String(ids[7]),
    });
    expect(resent.body).toMatchObject({ ok: true });
    const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, ids[7]!));
    expect(row).toMatchObject({ failedAt: null, lastError: null, attempts: 0, sentAt: null });
    expect(row!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "email.resend"), eq(auditLog.subjectId, String(ids[7]))));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorUserId: admin.user.id,
      before: { to: "destinataire7@exemple.fr", lastError: "550 Adresse inconnue" },
    });

    for (const i of [7, 8, 0]) {
      const refused = await admin.post(action, "/plateforme/courriels", {
        intent: "resend",
        id: String(ids[i]),
      });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/n'est pas en échec définitif/);
    }
    expect((await admin.post(action, "/plateforme/courriels", { intent: "resend", id: "abc" })).status).toBe(
      400,
    );
  });

  it("is for MEL admins only", async () => {
    for (const [slug, role] of [
      ["mel", "gestionnaire"],
      ["vilogia", "admin"],
      ["etat", "admin"],
    ] as const) {
      const other = await browserOf(await createUser(slug, [role]));
      expect((await other.get(loader, "/plateforme/courriels")).status, `${role}@${slug}`).toBe(403);
      const post = await other.post(action, "/plateforme/courriels", {
        intent: "resend",
        id: String(ids[8]),
      });
      expect(post.status).toBe(403);
    }
  });
});
