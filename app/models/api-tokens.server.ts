import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import { type ApiTokenScope, apiTokens } from "#db/schema";
import type { Actor } from "~/lib/actor.server";
import { type AuditActor, recordAudit } from "~/lib/audit.server";
import { httpError } from "~/lib/http.server";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { API_TOKEN_DEFAULT_DAYS } from "~/lib/validation";

/**
 * Creates a personal access token acting for the actor's organisation; the clear token is shown once, never stored.
 * Only a signed-in person mints one: a token cannot make another (which would outlive its revocation).
 */
export async function createApiToken(
  actor: AuditActor & { organisationId: string; userId: string; via: Actor["via"] },
  input: { name: string; scope: ApiTokenScope; expiresInDays?: number; now?: Date },
) {
  if (actor.via !== "session")
    throw httpError(403, "Un jeton d'API ne peut pas en créer un autre : connectez-vous au portail.");
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (input.expiresInDays ?? API_TOKEN_DEFAULT_DAYS) * 86_400_000);
  const token = generateToken("flux_");
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: actor.userId,
        organisationId: actor.organisationId,
        name: input.name,
        tokenHash: hashToken(token),
        prefix: token.slice(0, 10),
        scope: input.scope,
        expiresAt,
        createdAt: now,
      })
      .returning({ id: apiTokens.id });
    await recordAudit(tx, actor, {
      action: "api_token.create",
      subjectType: "ApiToken",
      subjectId: row!.id,
      after: { name: input.name, scope: input.scope, expiresAt },
    });
    return row!.id;
  });
  return { id, token, expiresAt };
}

/**
 * Revokes a user's live tokens, in the caller's transaction: after a password reset (the account may have been
 * taken over) or a change of membership (the token would keep rights its owner lost), for one organisation or all.
 */
export async function revokeTokensOf(
  tx: Db,
  actor: AuditActor,
  userId: string,
  reason: string,
  organisationId?: string,
): Promise<void> {
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(apiTokens.userId, userId),
        isNull(apiTokens.revokedAt),
        organisationId ? eq(apiTokens.organisationId, organisationId) : undefined,
      ),
    )
    .returning({ id: apiTokens.id, name: apiTokens.name });
  for (const token of revoked)
    await recordAudit(tx, actor, {
      action: "api_token.revoke",
      subjectType: "ApiToken",
      subjectId: token.id,
      before: { name: token.name },
      after: { reason },
    });
}

/** A user's live tokens (neither revoked nor expired). */
export async function listApiTokens(userId: string, now = new Date()) {
  return db
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      organisationId: apiTokens.organisationId,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scope: apiTokens.scope,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)))
    .orderBy(desc(apiTokens.createdAt));
}

export async function getApiToken(id: string) {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  return row;
}

export async function revokeApiToken(actor: AuditActor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning();
    if (!row) throw httpError(409, "Ce jeton est déjà révoqué.");
    await recordAudit(tx, actor, {
      action: "api_token.revoke",
      subjectType: "ApiToken",
      subjectId: id,
      before: { name: row.name },
    });
  });
}
