import { and, eq, gt, isNull } from "drizzle-orm";
import { db } from "#db/client.server";
import { passwordResets, users } from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import { passwordResetMail } from "#emails/templates";
import { recordAudit } from "~/lib/audit.server";
import { endAllSessions, hashPassword } from "~/lib/auth.server";
import { formatParis } from "~/lib/dates";
import { httpError } from "~/lib/http.server";
import { generateToken, hashToken } from "~/lib/tokens.server";

const RESET_VALIDITY_MS = 3600_000;

/**
 * Queues a reset link for an active account. Says nothing of whether the account exists:
 * the page shows the same message either way.
 */
export async function requestPasswordReset(email: string, baseUrl: string, now = new Date()): Promise<void> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deactivatedAt)));
  if (!user) return;
  const token = generateToken();
  const expiresAt = new Date(now.getTime() + RESET_VALIDITY_MS);
  await db.transaction(async (tx) => {
    await tx
      .insert(passwordResets)
      .values({ userId: user.id, tokenHash: hashToken(token), expiresAt, createdAt: now });
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
  if (!row) throw httpError(410, UNUSABLE);
}

/** Sets the new password, burns the link (single use, even when two requests race) and ends every open session. */
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
    if (!claimed) throw httpError(410, UNUSABLE);
    await tx.update(users).set({ passwordHash }).where(eq(users.id, claimed.userId));
    await recordAudit(
      tx,
      { userId: claimed.userId, organisationId: null },
      { action: "password_reset.complete", subjectType: "User", subjectId: claimed.userId },
    );
    return claimed.userId;
  });
  await endAllSessions(userId);
}
