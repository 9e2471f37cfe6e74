import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import { type ApiTokenScope, apiTokens } from "#db/schema";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { type AuditActor, recordAudit } from "~/lib/audit.server";
import { DomainError } from "~/lib/domain-error";
import { generateToken, hashToken } from "~/lib/tokens.server";
import { API_TOKEN_DEFAULT_DAYS } from "~/lib/validation";

/**
 * Creates a personal access token acting for the actor's organisation; the clear token is shown once, never stored.
 * Only a signed-in person mints one: a token cannot make another (which would outlive its revocation).
 */
export async function createApiToken(
  actor: Actor,
  input: { name: string; scope: ApiTokenScope; expiresInDays?: number; now?: Date },
) {
  ensureCan(actor.ability, "create", "ApiToken");
  if (actor.via !== "session")
    throw new DomainError(
      "forbidden",
      "Un jeton d'API ne peut pas en créer un autre : connectez-vous au portail.",
    );
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (input.expiresInDays ?? API_TOKEN_DEFAULT_DAYS) * 86_400_000);
  const token = generateToken("flux_");
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: actor.user.id,
        organisationId: actor.organisation.id,
        name: input.name,
        tokenHash: hashToken(token),
        prefix: token.slice(0, 10),
        scope: input.scope,
        expiresAt,
        createdAt: now,
      })
      .returning({ id: apiTokens.id });
    await recordAudit(tx, auditActorOf(actor), {
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

/** The actor's live tokens (neither revoked nor expired), whichever organisation they act for. */
export async function listApiTokens(actor: Actor, now = new Date()) {
  ensureCan(actor.ability, "read", "ApiToken");
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scope: apiTokens.scope,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(
      and(eq(apiTokens.userId, actor.user.id), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)),
    )
    .orderBy(desc(apiTokens.createdAt));
}

/** Revokes one of the actor's tokens; someone else's answers 404, as a missing one. */
export async function revokeApiToken(actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [found] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id)).for("update");
    const row = ensureCanOn(actor.ability, "delete", "ApiToken", found, "Ce jeton");
    if (row.revokedAt) throw new DomainError("conflict", "Ce jeton est déjà révoqué.");
    await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id));
    await recordAudit(tx, auditActorOf(actor), {
      action: "api_token.revoke",
      subjectType: "ApiToken",
      subjectId: id,
      before: { name: row.name },
    });
  });
}
