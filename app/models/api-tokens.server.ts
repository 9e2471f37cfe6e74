import { and, desc, eq, isNull } from "drizzle-orm";
import { db } from "#db/client.server";
import { apiTokens } from "#db/schema";
import { type AuditActor, recordAudit } from "~/lib/audit.server";
import { httpError } from "~/lib/http.server";
import { generateToken, hashToken } from "~/lib/tokens.server";

/** Creates a personal access token acting for the actor's organisation; the clear token is shown once, never stored. */
export async function createApiToken(
  actor: AuditActor & { organisationId: string; userId: string },
  name: string,
) {
  const token = generateToken("flux_");
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: actor.userId,
        organisationId: actor.organisationId,
        name,
        tokenHash: hashToken(token),
        prefix: token.slice(0, 10),
      })
      .returning({ id: apiTokens.id });
    await recordAudit(tx, actor, {
      action: "api_token.create",
      subjectType: "ApiToken",
      subjectId: row!.id,
      after: { name },
    });
    return row!.id;
  });
  return { id, token };
}

export async function listApiTokens(userId: string) {
  return db
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      organisationId: apiTokens.organisationId,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
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
