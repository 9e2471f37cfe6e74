import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import { passwordResets, users } from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import { passwordResetMail } from "#emails/templates";
import { recordAudit } from "~/lib/audit.server";
import { endAllSessions, hashPassword } from "~/lib/auth.server";
import { formatParis } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { revokeTokensOf } from "./api-tokens.server";

const RESET_VALIDITY_MS = 3600_000;
/** Links mailed per hour, per account and per asking address: enough for a lost mail, too few to flood a mailbox. */
export const RESETS_PER_ACCOUNT = 3;
export const RESETS_PER_ADDRESS = 10;
/** First key of the advisory locks taken here (the second is the hash of an address or an account). */
const RESET_LOCK_CLASS = 4_105;

/**
 * Queues a reset link for an active account, and voids the links sent before. Says nothing of whether the account
 * exists, nor of the limits: the page shows the same message either way, and past a limit no mail leaves.
 */
export async function requestPasswordReset(
  email: string,
  baseUrl: string,
  options: { ip?: string; now?: Date } = {},
): Promise<void> {
  const now = options.now ?? new Date();
  const ip = options.ip ?? "inconnue";
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deactivatedAt)));
  if (!user) return;
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + RESET_VALIDITY_MS);
  const anHourAgo = new Date(now.getTime() - 3600_000);
  await db.transaction(async (tx) => {
    // Counting and inserting in one step for concurrent requests: the address, then the account, is locked.
    await tx.execute(sql`select pg_advisory_xact_lock(${RESET_LOCK_CLASS}, hashtext(${ip}))`);
    await tx.execute(sql`select pg_advisory_xact_lock(${RESET_LOCK_CLASS}, hashtext(${user.id}))`);
    const recent = (condition: ReturnType<typeof eq>) =>
      tx
        .select({ n: count() })
        .from(passwordResets)
        .where(and(condition, gt(passwordResets.createdAt, anHourAgo)))
        .then(([row]) => row!.n);
    if (
      (await recent(eq(passwordResets.userId, user.id))) >= RESETS_PER_ACCOUNT ||
      (await recent(eq(passwordResets.ip, ip))) >= RESETS_PER_ADDRESS
    )
      return;
    await voidPendingResets(tx, user.id, now);
    await tx
      .insert(passwordResets)
      .values({ userId: user.id, tokenHash: hashToken(token), expiresAt, createdAt: now, ip });
    await enqueueMail(
      tx,
      passwordResetMail({
        to: user.email,
        url: `${baseUrl}/reinitialiser/${token}`,
        expiresAt: formatParis(expiresAt, "HH:mm"),
      }),
    );
    await recordAudit(
      tx,
      { userId: user.id, organisationId: null },
      { action: "password_reset.request", subjectType: "User", subjectId: user.id },
    );
  });
}

/** Only the latest link works: the ones sent before, or left when a link was used, expire now. */
async function voidPendingResets(tx: Db, userId: string, now: Date) {
  await tx
    .update(passwordResets)
    .set({ expiresAt: now })
    .where(
      and(
        eq(passwordResets.userId, userId),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    );
}

const UNUSABLE =
  "Ce lien de réinitialisation est inconnu, déjà utilisé ou expiré (il vaut une heure). Demandez-en un nouveau.";

export async function checkResetToken(token: string, now = new Date()): Promise<void> {
  const [row] = await db
    .select({ id: passwordResets.id })
    .from(passwordResets)
    .where(
      and(
        eq(passwordResets.tokenHash, hashToken(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    );
  if (!row) throw new DomainError("gone", UNUSABLE);
}

/**
 * Sets the new password, burns the link (single use, even when two requests race) and every other pending one, ends
 * every open session and revokes the API tokens: whoever asked may be recovering an account someone else took.
 */
export async function resetPassword(token: string, password: string, now = new Date()): Promise<void> {
  const passwordHash = await hashPassword(password);
  const userId = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResets.tokenHash, hashToken(token)),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, now),
        ),
      )
      .returning();
    if (!claimed) throw new DomainError("gone", UNUSABLE);
    await voidPendingResets(tx, claimed.userId, now);
    await tx.update(users).set({ passwordHash }).where(eq(users.id, claimed.userId));
    const actor = { userId: claimed.userId, organisationId: null };
    await recordAudit(tx, actor, {
      action: "password_reset.complete",
      subjectType: "User",
      subjectId: claimed.userId,
    });
    await revokeTokensOf(tx, actor, claimed.userId, "password_reset");
    return claimed.userId;
  });
  await endAllSessions(userId);
}
