import { and, count, eq, notLike } from "drizzle-orm";
import type { Db } from "#db/client.server";
import {
  attributions,
  auditLog,
  avenants,
  comites,
  conventions,
  cribSessions,
  forecasts,
  memberships,
  organisations,
  programmes,
  type Role,
  signalements,
  users,
} from "#db/schema";
import { type Actor, actorOfMembership } from "~/lib/actor.server";
import { recordAudit, SYSTEM_ACTOR } from "~/lib/audit.server";
import { parisDay, parisYear } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import { publicUrl } from "~/lib/route-params.server";
import { demoEmail } from "../seed.server";
import { buildActivity } from "./activity.server";
import { buildCycle } from "./cycle.server";
import { type Random, randomOf, seedOf } from "./random";

/**
 * The demo world (issue 19, decision 0017): a year in progress and the previous one closed, made through the same
 * model steps as the pages, acting as the demo users, so that every rule holds on it and the audit log tells it.
 * Dates are computed from today and the random figures are seeded by the day: the same day gives the same world.
 */

const DAY_MS = 86_400_000;
/** The audit entry that marks a database holding the demo world (written last: a world half made has none). */
export const DEMO_WORLD_ACTION = "demo.world";

export type Organisation = { id: string; slug: string; name: string; kind: string; inseeCode: string | null };

/** What every step of the world needs: the calendar, the random generator and the demo users' actors. */
export type World = {
  /** The instant the world is made "now" (steps in the past are dated from it). */
  now: Date;
  /** Today in Paris, yyyy-MM-dd: the seed of the random generator. */
  day: string;
  year: number;
  previousYear: number;
  random: Random;
  baseUrl: string;
  daysAgo(days: number): Date;
  /** yyyy-MM-dd in Paris of `days` days ago (negative: to come). */
  dayOf(days: number): string;
  org(slug: string): Organisation;
  as(slug: string, role: Role): Promise<Actor>;
};

/**
 * Why the world may not be made on this database, or null. It is made only next to the demo accounts: any other
 * account, or business data without the world's mark (a real year, or a world interrupted midway), refuses.
 */
export async function demoWorldRefusal(db: Db): Promise<string | null> {
  const [others] = await db.select({ n: count() }).from(users).where(notLike(users.email, "%.demo.test"));
  if (others!.n > 0)
    return `Cette base contient ${others!.n} compte(s) qui ne sont pas des comptes de démonstration : le monde de démonstration ne s'installe que sur une base neuve. Utilisez une autre base (DATABASE_URL) ou, pour la base embarquée, un autre dossier (DATA_DIR).`;
  const tables = {
    forecasts,
    conventions,
    avenants,
    signalements,
    attributions,
    programmes,
    comites,
    cribSessions,
  };
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await db.select({ n: count() }).from(table);
    if (row!.n > 0)
      return `Cette base contient déjà des données (${name}) qui ne viennent pas d'un monde de démonstration complet : il ne s'installe que sur une base neuve. Utilisez une autre base (DATABASE_URL) ou, pour la base embarquée, supprimez son dossier (DATA_DIR, ./data par défaut) puis relancez.`;
  }
  return null;
}

export async function hasDemoWorld(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, DEMO_WORLD_ACTION));
  return row!.n > 0;
}

async function worldOf(db: Db, now: Date): Promise<World> {
  const day = parisDay(now);
  const orgs = await db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      name: organisations.name,
      kind: organisations.kind,
      inseeCode: organisations.inseeCode,
    })
    .from(organisations);
  const bySlug = new Map(orgs.map((o) => [o.slug, o]));
  const org = (slug: string) => {
    const found = bySlug.get(slug);
    if (!found) throw new Error(`Organisation ${slug} absente : lancez d'abord le seed des organisations.`);
    return found;
  };
  const actors = new Map<string, Actor>();
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  return {
    now,
    day,
    year: parisYear(now),
    previousYear: parisYear(now) - 1,
    random: randomOf(seedOf(day)),
    baseUrl: publicUrl(),
    daysAgo,
    dayOf: (days) => parisDay(daysAgo(days)),
    org,
    async as(slug, role) {
      const email = demoEmail(role, slug);
      const cached = actors.get(email);
      if (cached) return cached;
      const [member] = await db
        .select({ userId: users.id, organisationId: memberships.organisationId })
        .from(users)
        .innerJoin(memberships, eq(memberships.userId, users.id))
        .where(and(eq(users.email, email), eq(memberships.organisationId, org(slug).id)));
      const actor = member && (await actorOfMembership(member.userId, member.organisationId));
      if (!actor)
        throw new Error(`Compte de démonstration ${email} absent : lancez d'abord le seed des comptes.`);
      actors.set(email, actor);
      return actor;
    },
  };
}

/**
 * `seconds`: wall-clock time; `cpuSeconds`: this process's CPU time meanwhile (the embedded database included), the
 * figure that does not depend on what else the machine runs.
 */
export type DemoWorldResult = { created: boolean; day: string; seconds: number; cpuSeconds: number };

/**
 * Makes the demo world on a database holding the demo accounts only; does nothing when it is already there
 * (idempotent), and throws a French DomainError (conflict) on any other database.
 */
export async function seedDemoWorld(db: Db, now = new Date()): Promise<DemoWorldResult> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const day = parisDay(now);
  if (await hasDemoWorld(db)) return { created: false, day, seconds: 0, cpuSeconds: 0 };
  const refusal = await demoWorldRefusal(db);
  if (refusal) throw new DomainError("conflict", refusal);
  const world = await worldOf(db, now);
  await buildCycle(world);
  await buildActivity(world);
  await recordAudit(db, SYSTEM_ACTOR, {
    action: DEMO_WORLD_ACTION,
    subjectType: "Demo",
    subjectId: day,
    after: { day, year: world.year },
  });
  const used = process.cpuUsage(cpu);
  return {
    created: true,
    day,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}
