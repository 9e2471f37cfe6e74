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
import { recordAudit } from "./audit.server";
import { formatParis } from "./dates";
import { httpError } from "./http.server";
import { generateToken } from "./tokens.server";

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

/** However active, a session ends this long after login (the 8 h sliding expiry alone could last for ever). */
export const SESSION_ABSOLUTE_LIFETIME_MS = 7 * 24 * 3600_000;
/** « Mon compte » lists when each session was last seen; a write at most this often is enough for that. */
const LAST_SEEN_PRECISION_MS = 5 * 60_000;

/**
 * Lucia's drizzle adapter, except that reading a session also reads the membership it acts through: every request
 * needs both, and one prepared query costs less than two built ones. Lucia keeps the sliding expiry; this adapter
 * adds the absolute lifetime and the « last seen » time.
 */
class SessionAdapter extends DrizzlePostgreSQLAdapter {
  override async getSessionAndUser(
    sessionId: string,
  ): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await sessionWithActingMembership().execute({ sessionId });
    if (!row) return [null, null];
    const { id, userId, expiresAt, organisationId, createdAt, lastSeenAt } = row.session;
    const now = Date.now();
    if (createdAt.getTime() + SESSION_ABSOLUTE_LIFETIME_MS <= now) {
      await this.deleteSession(id);
      return [null, null];
    }
    if (lastSeenAt.getTime() + LAST_SEEN_PRECISION_MS <= now)
      await db
        .update(sessions)
        .set({ lastSeenAt: new Date(now) })
        .where(eq(sessions.id, id));
    const acting: ActingMembership | null =
      row.roles && row.organisation ? { roles: row.roles, organisation: row.organisation } : null;
    const { id: _, ...user } = row.user;
    return [
      { id, userId, expiresAt, attributes: { organisationId } },
      { id: userId, attributes: { ...user, acting } },
    ];
  }
}

// The cookie lives as long as the server-side session (8 h, sent again when lucia extends it), not lucia's 400 days.
export const lucia = new Lucia(new SessionAdapter(db as never, sessions, users), {
  sessionExpiresIn: new TimeSpan(8, "h"),
  sessionCookie: { name: "flux_session", attributes: { sameSite: "lax" } },
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
    /** `ip` is only written, when the session is created (see `logIn`). */
    DatabaseSessionAttributes: { organisationId: string | null; ip?: string | null };
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
/** Password checks allowed within the window for one account from one address… */
export const THROTTLE_PER_ACCOUNT_AND_ADDRESS = 5;
/** …and from one address across accounts: enough for an office behind one NAT, too few to guess at scale. */
export const THROTTLE_PER_ADDRESS = 50;
/** First key of the advisory locks taken here (the second is the address's hash): apart from other locks. */
const LOGIN_LOCK_CLASS = 4_104;

export class LoginError extends Error {
  constructor(
    message: string,
    readonly status: 401 | 429,
  ) {
    super(message);
  }
}

/**
 * Reserves one password check for (account, address), or refuses with 429. Counting and reserving are one step for
 * every worker and instance: the transaction holds a lock on the address, and the reserved row (succeeded null)
 * counts until its outcome is known. An account is not throttled across addresses, so that nobody can lock
 * someone else out: the right password from another address still logs in.
 */
async function reserveLoginAttempt(email: string, ip: string, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOGIN_LOCK_CLASS}, hashtext(${ip}))`);
    const counted = await tx
      .select({ email: loginAttempts.email, at: loginAttempts.at })
      .from(loginAttempts)
      .where(
        and(
          eq(loginAttempts.ip, ip),
          gt(loginAttempts.at, new Date(now.getTime() - THROTTLE_WINDOW_MS)),
          or(isNull(loginAttempts.succeeded), eq(loginAttempts.succeeded, false)),
        ),
      )
      .orderBy(asc(loginAttempts.at));
    const forAccount = counted.filter((attempt) => attempt.email === email);
    const [full, limit] =
      forAccount.length >= THROTTLE_PER_ACCOUNT_AND_ADDRESS
        ? [forAccount, THROTTLE_PER_ACCOUNT_AND_ADDRESS]
        : [counted, THROTTLE_PER_ADDRESS];
    if (full.length >= limit) {
      const retryAt = new Date(full[full.length - limit]!.at.getTime() + THROTTLE_WINDOW_MS);
      throw new LoginError(
        `Trop de tentatives de connexion. Réessayez après ${formatParis(retryAt, "HH:mm")} (heure de Paris).`,
        429,
      );
    }
    const [attempt] = await tx
      .insert(loginAttempts)
      .values({ email, ip, succeeded: null, at: now })
      .returning({ id: loginAttempts.id });
    return attempt!.id;
  });
}

/** Checked when the account is unknown, so that its answer takes as long as a wrong password's. */
let dummyHash: Promise<string> | undefined;

/**
 * Whether the password matches; an unknown account (no hash) costs one argon2 check of a hash made with the same
 * parameters, and is never a match. `verify` is the check (a test observes which hash it is given).
 */
export async function passwordMatches(
  passwordHash: string | null | undefined,
  password: string,
  verify: (hash: string, password: string) => Promise<boolean> = verifyPassword,
) {
  if (passwordHash) return verify(passwordHash, password);
  dummyHash ??= hashPassword(generateToken());
  await verify(await dummyHash, password);
  return false;
}

/**
 * Checks credentials and opens a session acting for the user's first active organisation; records the outcome in
 * the audit log. Throttled by `reserveLoginAttempt`. Unknown e-mail and wrong password get the same answer in the same
 * time, so that nobody can probe which accounts exist.
 */
export async function logIn(input: {
  email: string;
  password: string;
  ip: string;
  now?: Date;
}): Promise<Session> {
  const now = input.now ?? new Date();
  const email = normaliseEmail(input.email);
  const attemptId = await reserveLoginAttempt(email, input.ip, now);
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const valid = await passwordMatches(user?.passwordHash, input.password);
  return openSession(user, {
    email,
    ip: input.ip,
    refusal: valid ? null : "E-mail ou mot de passe incorrect.",
    attemptId,
  });
}

/**
 * Opens a session for the member whose address ProConnect vouches for (decision 22). ProConnect only proves who the
 * person is: the portal's membership must exist already (an invitation accepted), ProConnect never creates one. An
 * address ProConnect has not verified is refused, or anyone could claim a member's address at a lax provider.
 */
export async function logInWithProConnect(identity: {
  email: string | undefined;
  emailVerified: boolean;
  ip: string;
}): Promise<Session> {
  const email = normaliseEmail(identity.email ?? "");
  const [user] = email ? await db.select().from(users).where(eq(users.email, email)) : [];
  const refusal = !email
    ? "ProConnect n'a pas transmis d'adresse e-mail : la connexion est impossible."
    : !identity.emailVerified
      ? "ProConnect n'a pas vérifié votre adresse e-mail : connectez-vous avec votre mot de passe, ou faites vérifier l'adresse auprès de votre fournisseur d'identité."
      : !user
        ? `Aucun membre du portail n'a l'adresse ${email}. Demandez une invitation à l'administrateur de votre organisation.`
        : null;
  return openSession(user, { email, ip: identity.ip, refusal, via: "ProConnect" });
}

/**
 * The end of every login, once the person is identified (or not: `refusal`): refuses a deactivated account or one
 * without an active membership, records the outcome in the audit log (and in the throttle's attempt), then opens a
 * session acting for the user's first active organisation.
 */
async function openSession(
  user: typeof users.$inferSelect | undefined,
  login: { email: string; ip: string; refusal: string | null; attemptId?: number; via?: "ProConnect" },
): Promise<Session> {
  const [membership] =
    user && !login.refusal && !user.deactivatedAt
      ? await db
          .select({ organisationId: memberships.organisationId })
          .from(memberships)
          .where(and(eq(memberships.userId, user.id), isNull(memberships.deactivatedAt)))
          .orderBy(asc(memberships.createdAt))
          .limit(1)
      : [];
  const refusal =
    login.refusal ??
    (user?.deactivatedAt
      ? "Ce compte est désactivé. Contactez l'administrateur de votre organisation."
      : !membership
        ? "Ce compte n'appartient plus à aucune organisation active."
        : null);
  await db.transaction(async (tx) => {
    if (login.attemptId)
      await tx
        .update(loginAttempts)
        .set({ succeeded: !refusal })
        .where(eq(loginAttempts.id, login.attemptId));
    await recordAudit(
      tx,
      { userId: user?.id ?? null, organisationId: membership?.organisationId ?? null },
      {
        action: refusal ? "session.login_failed" : "session.login",
        subjectType: "User",
        subjectId: user?.id ?? null,
        after: {
          email: login.email,
          ip: login.ip,
          ...(login.via && { via: login.via }),
          ...(refusal && { reason: refusal }),
        },
      },
    );
  });
  if (refusal) throw new LoginError(refusal, 401);
  return lucia.createSession(user!.id, { organisationId: membership!.organisationId, ip: login.ip });
}

/** Ends one session (« Se déconnecter ») and records it. */
export async function logOut(
  sessionId: string,
  actor: { userId: string; organisationId: string | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.id, sessionId));
    await recordAudit(tx, actor, { action: "session.logout", subjectType: "User", subjectId: actor.userId });
  });
}

/** Ends every session of a user at once (deactivation, password reset). */
export async function endAllSessions(userId: string): Promise<void> {
  await lucia.invalidateUserSessions(userId);
}

/** Housekeeping: attempts older than the throttle window are no longer needed (the audit log keeps the history). */
export async function purgeOldLoginAttempts(now = new Date()): Promise<void> {
  await db
    .delete(loginAttempts)
    // Through the column (not a raw sql param): postgres.js cannot bind a raw Date as timestamptz.
    .where(lt(loginAttempts.at, new Date(now.getTime() - THROTTLE_WINDOW_MS)));
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
