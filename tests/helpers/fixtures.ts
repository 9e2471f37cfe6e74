import { hash } from "@node-rs/argon2";
import { desc, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { type ApiTokenScope, emailOutbox, memberships, type Role, users } from "#db/schema";
import { organisationBySlug, seedOrganisations } from "#seed/seed.server";
import { type Actor, authenticate } from "~/lib/actor.server";
import { lucia } from "~/lib/auth.server";
import { asHttpError } from "~/lib/http.server";
import { createApiToken } from "~/models/api-tokens.server";

export const TEST_PASSWORD = "mot-de-passe-de-test-2024";
export const BASE_URL = "http://localhost:3000";

let cheapHash: Promise<string> | undefined;

/** An argon2id hash of TEST_PASSWORD with tiny costs: `verify` reads the costs from the hash, so logins stay fast. */
export function testPasswordHash(): Promise<string> {
  cheapHash ??= hash(TEST_PASSWORD, { algorithm: 2, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  return cheapHash;
}

let seeded: Promise<void> | undefined;

/** Seeds the partner organisations once per test file (each file has its own database). */
export function seedOnce(): Promise<void> {
  seeded ??= seedOrganisations(db).then(() => undefined);
  return seeded;
}

export async function organisation(slug: string) {
  await seedOnce();
  const row = await organisationBySlug(db, slug);
  if (!row) throw new Error(`organisation ${slug} absente du seed`);
  return row;
}

let counter = 0;

export type TestUser = {
  id: string;
  email: string;
  name: string;
  membershipId: string;
  organisationId: string;
  organisationSlug: string;
  roles: Role[];
};

/** A user with an active membership in the organisation `slug`, holding `roles`, whose password is TEST_PASSWORD. */
export async function createUser(
  slug: string,
  roles: Role[],
  options: { email?: string; name?: string } = {},
): Promise<TestUser> {
  const org = await organisation(slug);
  counter += 1;
  const email = options.email ?? `user${counter}-${roles.join("-") || "aucun"}@${slug}.test`;
  const name = options.name ?? `Utilisateur ${counter} (${slug})`;
  const [user] = await db
    .insert(users)
    .values({ email, name, passwordHash: await testPasswordHash() })
    .returning();
  const [membership] = await db
    .insert(memberships)
    .values({ userId: user!.id, organisationId: org.id, roles })
    .returning();
  return {
    id: user!.id,
    email,
    name,
    membershipId: membership!.id,
    organisationId: org.id,
    organisationSlug: slug,
    roles,
  };
}

/** The audit view of a test user (who, acting for which organisation). */
export const auditActor = (user: TestUser) => ({
  userId: user.id,
  organisationId: user.organisationId,
  name: user.name,
});

/** The Actor a model step takes (the user acting for its organisation, with its policy), as a page would build it. */
export async function actorOf(user: TestUser): Promise<Actor> {
  return (await authenticate(await requestAs(user)))!;
}

/** A lucia session acting for the user's organisation. */
export async function createSession(user: Pick<TestUser, "id" | "organisationId">) {
  return lucia.createSession(user.id, { organisationId: user.organisationId });
}

/** A request carrying `flux_session=<id>`. */
export function requestWithSession(sessionId: string, path = "/", init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  headers.append("cookie", `flux_session=${sessionId}`);
  return new Request(`${BASE_URL}${path}`, { ...init, headers });
}

/** A request with a session cookie for a fresh session of `user`. */
export async function requestAs(user: TestUser, path = "/", init: RequestInit = {}): Promise<Request> {
  const session = await createSession(user);
  return requestWithSession(session.id, path, init);
}

/** A request with `Authorization: Bearer <token>`. */
export function requestWithBearer(
  token: string,
  path = "/api/v1/organisations",
  init: RequestInit = {},
): Request {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  return new Request(`${BASE_URL}${path}`, { ...init, headers });
}

/** Creates a personal access token for the user (acting for their organisation), as from « Mon compte ». */
export async function createToken(
  user: TestUser,
  name = "Logiciel de gestion locative",
  scope: ApiTokenScope = "write",
) {
  return createApiToken(await actorOf(user), { name, scope });
}

export async function userByEmail(email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email));
  return row;
}

/** Reads a thrown Response (httpError), or a model's DomainError as HTTP answers it, as `{ status, message }`. */
export async function responseError(
  promise: Promise<unknown> | (() => unknown),
): Promise<{ status: number; message: string }> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (thrown) {
    const error = asHttpError(thrown);
    if (error instanceof Response) {
      const body = (await error.json()) as { message: string };
      return { status: error.status, message: body.message };
    }
    throw error;
  }
  throw new Error("expected a thrown Response, nothing was thrown");
}

/** The token of the latest `/<path>/<token>` link mailed to `to` (reset, invitation), from the outbox. */
export async function lastLinkMailedTo(to: string, path: string): Promise<string> {
  const mails = await db
    .select()
    .from(emailOutbox)
    .where(eq(emailOutbox.to, to))
    .orderBy(desc(emailOutbox.id));
  const match = mails[0]?.text.match(new RegExp(`/${path}/([A-Za-z0-9_-]+)`));
  if (!match) throw new Error(`aucun lien /${path}/ envoyé à ${to}`);
  return match[1]!;
}
