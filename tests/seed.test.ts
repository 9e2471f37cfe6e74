import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { memberships, organisations, ROLES, users } from "#db/schema";
import { DEFAULT_DEMO_PASSWORD, demoEmail, seedDemoUsers, seedOrganisations } from "#seed/seed.server";
import { logIn, lucia } from "~/lib/auth.server";

const BAILLEUR_SLUGS = [
  "habitat-du-nord",
  "maisons-et-cites",
  "lille-metropole-habitat",
  "partenord-habitat",
  "icf-habitat-nord-est",
  "clesence",
  "sia-habitat",
  "sigh",
  "habitat-hauts-de-france",
  "3f-notre-logis",
  "cottage-social-des-flandres",
  "logifim",
  "logis-metropole",
  "norevie",
  "promocil",
  "tisserin-habitat",
  "vilogia",
  "flandre-opale-habitat",
  "cdc-habitat",
];
const OTHERS = {
  mel: "metropole",
  etat: "etat",
  "departement-nord": "departement",
  urh: "urh",
  "action-logement": "action_logement",
  sicf: "sicf",
};

let firstRun = 0;
let firstUsers = 0;

beforeAll(async () => {
  firstRun = await seedOrganisations(db);
  firstUsers = await seedDemoUsers(db);
});

async function kindsBySlug() {
  const rows = await db
    .select({
      slug: organisations.slug,
      kind: organisations.kind,
      name: organisations.name,
      insee: organisations.inseeCode,
    })
    .from(organisations);
  return new Map(rows.map((r) => [r.slug, r]));
}

describe("seed", () => {
  it("creates the 95 communes of the MEL from the COG, keyed commune-<INSEE>", async () => {
    const communes = await db.select().from(organisations).where(eq(organisations.kind, "commune"));
    expect(communes).toHaveLength(95);
    for (const c of communes) expect(c.slug).toBe(`commune-${c.inseeCode}`);
    const bySlug = await kindsBySlug();
    expect(bySlug.get("commune-59350")).toMatchObject({ name: "Lille", insee: "59350", kind: "commune" });
    expect(bySlug.get("commune-59512")).toMatchObject({ name: "Roubaix", kind: "commune" });
    expect(bySlug.get("commune-59599")).toMatchObject({ name: "Tourcoing", kind: "commune" });
  });

  it("creates the 19 bailleurs of Annex 1 and the six other partners", async () => {
    const bailleurs = await db
      .select({ slug: organisations.slug })
      .from(organisations)
      .where(eq(organisations.kind, "bailleur"));
    expect(bailleurs.map((b) => b.slug).sort()).toEqual([...BAILLEUR_SLUGS].sort());
    const bySlug = await kindsBySlug();
    expect(bySlug.get("norevie")?.name).toBe("Norévie");
    expect(bySlug.get("clesence")?.name).toBe("Clésence");
    expect(bySlug.get("vilogia")?.name).toBe("Vilogia");
    for (const [slug, kind] of Object.entries(OTHERS)) expect(bySlug.get(slug)?.kind, slug).toBe(kind);
    const [total] = await db.select({ n: count() }).from(organisations);
    expect(total!.n).toBe(95 + 19 + 6);
    expect(firstRun).toBe(120);
  });

  it("adds nothing when run twice", async () => {
    expect(await seedOrganisations(db)).toBe(0);
    expect(await seedDemoUsers(db)).toBe(0);
    const [orgs] = await db.select({ n: count() }).from(organisations);
    const [people] = await db.select({ n: count() }).from(users);
    const [members] = await db.select({ n: count() }).from(memberships);
    expect(orgs!.n).toBe(120);
    expect(people!.n).toBe(firstUsers);
    expect(members!.n).toBe(firstUsers);
  });

  it("creates one demo user per role for each non-commune organisation and for Lille, Roubaix, Tourcoing", async () => {
    expect(firstUsers).toBe(4 * (19 + 6 + 3));
    const rows = await db
      .select({ email: users.email, roles: memberships.roles, slug: organisations.slug })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId));
    const slugs = new Set(rows.map((r) => r.slug));
    expect(slugs).toEqual(
      new Set([...BAILLEUR_SLUGS, ...Object.keys(OTHERS), "commune-59350", "commune-59512", "commune-59599"]),
    );
    for (const row of rows) expect(row.email).toBe(demoEmail(row.roles[0]!, row.slug));
    for (const slug of slugs)
      expect(
        rows
          .filter((r) => r.slug === slug)
          .flatMap((r) => r.roles)
          .sort(),
        slug,
      ).toEqual([...ROLES].sort());
  });

  it("lets demo users log in with the demo password, acting for their organisation", async () => {
    const session = await logIn({
      email: "admin@mel.demo.test",
      password: DEFAULT_DEMO_PASSWORD,
      ip: "10.0.0.1",
    });
    const [mel] = await db.select().from(organisations).where(eq(organisations.slug, "mel"));
    expect(session.organisationId).toBe(mel!.id);
    const { user } = await lucia.validateSession(session.id);
    expect(user?.email).toBe("admin@mel.demo.test");
    const lille = await logIn({
      email: "gestionnaire@commune-59350.demo.test",
      password: DEFAULT_DEMO_PASSWORD,
      ip: "10.0.0.2",
    });
    expect(lille.userId).toBeTruthy();
  });
});
