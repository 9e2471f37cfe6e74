import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { hash, verify } from "@node-rs/argon2";
import { and, asc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { type DatabaseSession, type DatabaseUser, Lucia, type Session, TimeSpan } from "lucia";
import { db, preparedQuery } from "#db/client.server";
import {
  loginAttempts,
  memberships,
  type OrganisationKind,
  organisations,
  type Role,
  sessions,
  users,
} from "#db/schema";
import { formatParis } from "./dates";
import { httpError } from "./http.server";

/** The membership a session acts through: its organisation and roles, if still active. */
export type ActingMembership = {
  roles: Role[];
  organisation: { id: string; slug: string; kind: OrganisationKind; name: string };
};

const sessionWithActingMembership = preparedQuery((connection) =>
  connection
    .select({
      session: sessions,
      user: { id: users.id, email: users.email, name: users.name, deactivatedAt: users.deactivatedAt },
      roles: memberships.roles,
      organisation: {
        id: organisations.id,
        slug: organisations.slug,
        kind: organisations.kind,
        name: organisations.name,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.userId, sessions.userId),
        eq(memberships.organisationId, sessions.organisationId),
        isNull(memberships.deactivatedAt),
      ),
    )
    .leftJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(eq(sessions.id, sql.placeholder("sessionId")))
    .prepare("session_with_acting_membership"),
);

/**
 * Lucia's drizzle adapter, except that reading a session also reads the membership it acts through: every request
 * needs both, and one prepared query costs less than two built ones. Lucia keeps the expiry rules.
 */
class SessionAdapter extends DrizzlePostgreSQLAdapter {
  override async getSessionAndUser(
    sessionId: string,
  ): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await sessionWithActingMembership().execute({ sessionId });
    if (!row) return [null, null];
    const { id, userId, expiresAt, organisationId } = row.session;
    const acting: ActingMembership | null =
      row.roles && row.organisation ? { roles: row.roles, organisation: row.organisation } : null;
    const { id: _, ...user } = row.user;
    return [
      { id, userId, expiresAt, attributes: { organisationId } },
      { id: userId, attributes: { ...user, acting } },
    ];
  }
}

export const lucia = new Lucia(new SessionAdapter(db as never, sessions, users), {
  sessionExpiresIn: new TimeSpan(8, "h"),
  sessionCookie: { name: "flux_session", expires: false, attributes: { sameSite: "lax" } },
  getSessionAttributes: (attributes) => ({ organisationId: attributes.organisationId }),
  getUserAttributes: (attributes) => ({
    email: attributes.email,
    name: attributes.name,
    deactivatedAt: attributes.deactivatedAt,
    acting: attributes.acting ?? null,
  }),
});

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    UserId: string;
    DatabaseUserAttributes: {
      email: string;
      name: string;
      deactivatedAt: Date | null;
      /** Only when read with a session (SessionAdapter). */
      acting?: ActingMembership | null;
    };
    DatabaseSessionAttributes: { organisationId: string | null };
  }
}

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommendation). */
export const hashPassword = (password: string) => hash(password, { algorithm: 2 });
export const verifyPassword = (passwordHash: string, password: string) => verify(passwordHash, password);

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Secure cookies behind HTTPS (express sees the protocol; X-Forwarded-Proto only behind a trusted proxy). */
export function serialiseSessionCookie(
  request: Request,
  cookie: ReturnType<typeof lucia.createBlankSessionCookie>,
) {
  cookie.attributes.secure = new URL(request.url).protocol === "https:";
  return cookie.serialize();
}

const THROTTLE_WINDOW_MS = 15 * 60_000;
const THROTTLE_MAX_FAILURES = 5;

export class LoginError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 429,
  ) {
    super(message);
  }
}

/**
 * Checks credentials and opens a session acting for the user's first active organisation.
 * After 5 failures for the account or the IP within 15 minutes, refuses until the oldest of them is 15 minutes old.
 * Unknown e-mail and wrong password get the same answer, so that nobody can probe which accounts exist.
 */
export async function logIn(input: {
  email: string;
  password: string;
  ip: string;
  now?: Date;
}): Promise<Session> {
  const now = input.now ?? new Date();
  const email = normaliseEmail(input.email);
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const failures = await db
    .select({ at: loginAttempts.at })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.succeeded, false),
        gt(loginAttempts.at, since),
        or(eq(loginAttempts.email, email), eq(loginAttempts.ip, input.ip)),
      ),
    )
    .orderBy(asc(loginAttempts.at));
  if (failures.length >= THROTTLE_MAX_FAILURES) {
    const retryAt = new Date(
      failures[failures.length - THROTTLE_MAX_FAILURES]!.at.getTime() + THROTTLE_WINDOW_MS,
    );
    throw new LoginError(
      `Trop de tentatives de connexion. Réessayez après ${formatParis(retryAt, "HH:mm")} (heure de Paris).`,
      429,
    );
  }

  const [user] = await db.select().from(users).where(eq(users.email, email));
  const valid = user?.passwordHash ? await verifyPassword(user.passwordHash, input.password) : false;
  await db
    .insert(loginAttempts)
    .values({ email, ip: input.ip, succeeded: valid && !user?.deactivatedAt, at: now });
  if (!user || !valid) throw new LoginError("E-mail ou mot de passe incorrect.", 401);
  if (user.deactivatedAt)
    throw new LoginError("Ce compte est désactivé. Contactez l'administrateur de votre organisation.", 401);

  const [membership] = await db
    .select({ organisationId: memberships.organisationId })
    .from(memberships)
    .where(and(eq(memberships.userId, user.id), isNull(memberships.deactivatedAt)))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!membership) throw new LoginError("Ce compte n'appartient plus à aucune organisation active.", 401);
  return lucia.createSession(user.id, { organisationId: membership.organisationId });
}

/** Ends every session of a user at once (deactivation, password change). */
export async function endAllSessions(userId: string): Promise<void> {
  await lucia.invalidateUserSessions(userId);
}

/** Housekeeping: failed attempts older than the throttle window are no longer needed. */
export async function purgeOldLoginAttempts(now = new Date()): Promise<void> {
  await db
    .delete(loginAttempts)
    // Through the column (not a raw sql param): postgres.js cannot bind a raw Date as timestamptz.
    .where(lt(loginAttempts.at, new Date(now.getTime() - THROTTLE_WINDOW_MS * 4)));
}

/** Makes the session act for another organisation, if the user is an active member of it (404 otherwise). */
export async function switchOrganisation(
  sessionId: string,
  userId: string,
  organisationId: string,
): Promise<void> {
  const [membership] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.organisationId, organisationId),
        isNull(memberships.deactivatedAt),
      ),
    );
  if (!membership) throw httpError(404, "Vous n'êtes pas membre actif de cette organisation.");
  await db.update(sessions).set({ organisationId }).where(eq(sessions.id, sessionId));
}
