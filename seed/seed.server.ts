import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { memberships, organisations, ROLES, users } from "#db/schema";
import { hashPassword } from "~/lib/auth.server";
import { allOrganisations, demoOrganisationSlugs } from "./organisations";

export const DEFAULT_DEMO_PASSWORD = "flux-demo-2024";

/** Inserts every partner organisation that is missing (idempotent: the slug decides). Returns how many were added. */
export async function seedOrganisations(db: Db): Promise<number> {
  const inserted = await db
    .insert(organisations)
    .values(allOrganisations())
    .onConflictDoNothing({ target: organisations.slug })
    .returning({ id: organisations.id });
  return inserted.length;
}

export const demoEmail = (role: string, slug: string) => `${role}@${slug}.demo.test`;

/**
 * One demo user per role for every organisation but the communes, and for Lille, Roubaix and Tourcoing.
 * Idempotent: existing accounts and memberships are left as they are.
 */
export async function seedDemoUsers(
  db: Db,
  password = process.env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD,
): Promise<number> {
  const passwordHash = await hashPassword(password);
  const slugs = demoOrganisationSlugs();
  const orgs = await db
    .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
    .from(organisations);
  const bySlug = new Map(orgs.map((o) => [o.slug, o]));
  let created = 0;
  await db.transaction(async (tx) => {
    for (const slug of slugs) {
      const organisation = bySlug.get(slug);
      if (!organisation)
        throw new Error(`Organisation ${slug} absente : lancez d'abord le seed des organisations.`);
      const rows = ROLES.map((role) => ({
        email: demoEmail(role, slug),
        name: `${role[0]!.toUpperCase()}${role.slice(1)} (démo) — ${organisation.name}`,
        passwordHash,
      }));
      const newUsers = await tx
        .insert(users)
        .values(rows)
        .onConflictDoNothing({ target: users.email })
        .returning();
      created += newUsers.length;
      for (const user of newUsers) {
        const role = ROLES.find((r) => user.email === demoEmail(r, slug))!;
        await tx
          .insert(memberships)
          .values({ userId: user.id, organisationId: organisation.id, roles: [role] })
          .onConflictDoNothing();
      }
    }
  });
  return created;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(organisations);
  return (row?.count ?? 0) === 0;
}

export async function organisationBySlug(db: Db, slug: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.slug, slug));
  return row;
}
