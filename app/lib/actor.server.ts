import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { and, eq, gt, isNull } from "drizzle-orm";
import { db } from "#db/client.server";
import {
  type ApiTokenScope,
  apiTokens,
  memberships,
  type OrganisationKind,
  organisations,
  type Role,
  users,
} from "#db/schema";
import { type AppAbility, defineAbilityFor } from "#policies/ability";
import { recordAudit } from "./audit.server";
import { type ActingMembership, lucia, serialiseSessionCookie } from "./auth.server";
import { httpError } from "./http.server";
import { hashToken } from "./tokens.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's IP as express sees it. */
    ip?: string;
    /** Adds a response header (the renewed session cookie) to whatever the route answers. */
    appendHeader?: (name: string, value: string) => void;
  }
}

/** The person behind a request, acting for one organisation, with the ability the policies give them. */
export type Actor = {
  user: { id: string; email: string; name: string };
  organisation: { id: string; slug: string; kind: OrganisationKind; name: string };
  roles: Role[];
  ability: AppAbility;
  via: "session" | "token";
  sessionId?: string;
  /** A token's scope (a session may do whatever its roles allow). */
  tokenScope?: ApiTokenScope;
};

async function loadActor(userId: string, organisationId: string, via: Actor["via"]): Promise<Actor | null> {
  const [row] = await db
    .select({
      user: { id: users.id, email: users.email, name: users.name, deactivatedAt: users.deactivatedAt },
      organisation: {
        id: organisations.id,
        slug: organisations.slug,
        kind: organisations.kind,
        name: organisations.name,
      },
      roles: memberships.roles,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.organisationId, organisationId),
        isNull(memberships.deactivatedAt),
      ),
    );
  if (!row || row.user.deactivatedAt) return null;
  const { deactivatedAt: _, ...user } = row.user;
  return actorOf(user, row, via);
}

function actorOf(
  user: Actor["user"],
  acting: ActingMembership,
  via: Actor["via"],
  sessionId?: string,
): Actor {
  const ability = defineAbilityFor({
    userId: user.id,
    organisationId: acting.organisation.id,
    kind: acting.organisation.kind,
    roles: acting.roles,
  });
  return { user, organisation: acting.organisation, roles: acting.roles, ability, via, sessionId };
}

const TOKEN_PATTERN = /^flux_[A-Za-z0-9_-]{43}$/;
/** `lastUsedAt` is written at most this often: a write per API call would cost more than it tells. */
const LAST_USE_PRECISION_MS = 60_000;
const HOUR_MS = 3600_000;

async function actorFromToken(token: string, ip: string | undefined): Promise<Actor> {
  const invalid = httpError(
    401,
    "Jeton d'API invalide, expiré ou révoqué. Créez-en un nouveau depuis « Mon compte ».",
  );
  if (!TOKEN_PATTERN.test(token)) throw invalid;
  const now = new Date();
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.tokenHash, hashToken(token)),
        isNull(apiTokens.revokedAt),
        gt(apiTokens.expiresAt, now),
      ),
    );
  if (!row) throw invalid;
  const actor = await loadActor(row.userId, row.organisationId, "token");
  if (!actor) throw invalid;
  const previous = row.lastUsedAt;
  if (!previous || previous.getTime() + LAST_USE_PRECISION_MS <= now.getTime())
    await db.transaction(async (tx) => {
      // Conditional on the value read: of two concurrent calls, one records the use.
      const [claimed] = await tx
        .update(apiTokens)
        .set({ lastUsedAt: now })
        .where(
          and(
            eq(apiTokens.id, row.id),
            previous ? eq(apiTokens.lastUsedAt, previous) : isNull(apiTokens.lastUsedAt),
          ),
        )
        .returning({ id: apiTokens.id });
      // The audit log gets a token's first use in each hour, not every call: a system polling the API every
      // minute would otherwise bury every other entry; an hour still tells when, and from where, a token was used.
      if (
        claimed &&
        (!previous || Math.floor(previous.getTime() / HOUR_MS) < Math.floor(now.getTime() / HOUR_MS))
      )
        await recordAudit(
          tx,
          { userId: row.userId, organisationId: row.organisationId },
          { action: "api_token.use", subjectType: "ApiToken", subjectId: row.id, after: { ip: ip ?? null } },
        );
    });
  return { ...actor, tokenScope: row.scope };
}

/** A page's reads (its layout's loader and its own) share one authentication: see `authenticate`. */
const actorsOfReads = new WeakMap<object, Promise<Actor | null>>();

/**
 * Who is asking, for pages: the session cookie only (sliding expiry: a renewed cookie is sent back). A bearer token
 * opens the API alone (`requireApiActor`): a page would let it do what only a person may, such as minting tokens.
 * Null when nobody is logged in.
 * A GET's loaders (root, layout, page) all run for one HTTP request: the session is read once and the renewed cookie
 * sent once. They share the request's load context, not its `Request` (single fetch hands each loader a copy), so the
 * memo is keyed by the context (`server.js` makes one per HTTP request), by the `Request` without one. A write is
 * never answered from that memo: its action may change the session (another organisation, logging out) before the
 * loaders run, which then read it afresh.
 */
export function authenticate(request: Request, context?: AppLoadContext): Promise<Actor | null> {
  if (request.method !== "GET" && request.method !== "HEAD") return authenticateNow(request, context);
  const key = context ?? request;
  let actor = actorsOfReads.get(key);
  if (!actor) {
    actor = authenticateNow(request, context);
    actorsOfReads.set(key, actor);
  }
  return actor;
}

async function authenticateNow(request: Request, context?: AppLoadContext): Promise<Actor | null> {
  const sessionId = lucia.readSessionCookie(request.headers.get("cookie") ?? "");
  if (!sessionId) return null;
  const { session, user } = await lucia.validateSession(sessionId);
  // A session that acts for no organisation any more is over: cleared, so that the next form is bound to no session.
  if (!session?.organisationId || !user?.acting || user.deactivatedAt) {
    if (session) await lucia.invalidateSession(session.id);
    context?.appendHeader?.("Set-Cookie", serialiseSessionCookie(request, lucia.createBlankSessionCookie()));
    return null;
  }
  if (session.fresh)
    context?.appendHeader?.(
      "Set-Cookie",
      serialiseSessionCookie(request, lucia.createSessionCookie(session.id)),
    );
  return actorOf({ id: user.id, email: user.email, name: user.name }, user.acting, "session", session.id);
}

/** For pages: the actor, or a redirect to the login page that comes back here afterwards. */
export async function requireActor(request: Request, context?: AppLoadContext): Promise<Actor> {
  const actor = await authenticate(request, context);
  if (actor) return actor;
  const url = new URL(request.url);
  throw redirect(`/connexion?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/** For the API: the actor (bearer token or session cookie), or 401 with a French message. */
export async function requireApiActor(request: Request, context?: AppLoadContext): Promise<Actor> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const [scheme, token] = authorization.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !token)
      throw httpError(401, "En-tête Authorization invalide : utilisez « Bearer <jeton> ».");
    return actorFromToken(token, context?.ip);
  }
  const actor = await authenticate(request, context);
  if (actor) return actor;
  throw httpError(
    401,
    "Authentification requise : connectez-vous ou envoyez « Authorization: Bearer <jeton> ».",
  );
}

/**
 * The actor of an active membership outside any request: the demo world (seed/demo) acts through its demo users,
 * with the same policies as their pages. Null when the membership is not active.
 */
export const actorOfMembership = (userId: string, organisationId: string) =>
  loadActor(userId, organisationId, "session");

/** The audit log's view of an actor: who, acting for which organisation. */
export const auditActorOf = (actor: Actor) => ({
  userId: actor.user.id,
  organisationId: actor.organisation.id,
  name: actor.user.name,
});
