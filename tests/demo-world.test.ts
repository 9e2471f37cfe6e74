import { spawnSync } from "node:child_process";
import { and, count, eq, ne } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import {
  attributions,
  avenants,
  comites,
  conventions,
  cribSessions,
  emailOutbox,
  memberships,
  organisations,
  programmes,
  type Role,
  signalements,
  users,
} from "#db/schema";
import { DEMO_MEL_RIGHTS, DEMO_TOTAL_H } from "#seed/demo/figures";
import { demoWorldRefusal, seedDemoWorld } from "#seed/demo/world.server";
import { demoEmail, seedDemoUsers, seedOrganisations } from "#seed/seed.server";
import { SMALL_COUNT_LABEL } from "~/domain/consumption";
import { SIGNALEMENT_STATUSES } from "~/domain/signalement";
import { actorOfMembership } from "~/lib/actor.server";
import { DomainError } from "~/lib/domain-error";
import { annexRows } from "~/models/assiette.server";
import { calendarOf } from "~/models/calendar.server";
import { contingentPairs } from "~/models/contingents.server";
import { consumptionReport, indicatorReport } from "~/models/reports.server";
import * as home from "~/routes/_app.accueil";
import * as assiette from "~/routes/_app.assiette.$year";
import * as attributionsPage from "~/routes/_app.attributions._index";
import * as avenantsPage from "~/routes/_app.avenants";
import * as calendar from "~/routes/_app.calendrier";
import * as comitesPage from "~/routes/_app.comites._index";
import * as comite from "~/routes/_app.comites.$id";
import * as consumption from "~/routes/_app.consommation";
import * as conventionsPage from "~/routes/_app.conventions._index";
import * as cribPage from "~/routes/_app.crib._index";
import * as crib from "~/routes/_app.crib.$id";
import * as indicators from "~/routes/_app.indicateurs";
import * as journal from "~/routes/_app.journal";
import * as outbox from "~/routes/_app.plateforme.courriels";
import * as programmesPage from "~/routes/_app.programmes._index";
import * as programme from "~/routes/_app.programmes.$id";
import * as signalementsPage from "~/routes/_app.signalements._index";
import * as signalement from "~/routes/_app.signalements.$id";
import * as signalementsBoard from "~/routes/_app.signalements.tableau";
import * as rates from "~/routes/_app.taux-negocies";
import { browserOf } from "./helpers/cycle";
import { demoFigures } from "./helpers/demo-world";
import type { TestUser } from "./helpers/fixtures";

/**
 * The demo world (issue 19, decision 0017), made once for this file at a fixed instant of today: its rules hold,
 * every main page of every kind of demo account shows something, it refuses a database holding anything else, and
 * the same day gives the same world.
 */
const NOW = new Date();
const YEAR = Number(new Intl.DateTimeFormat("en", { timeZone: "Europe/Paris", year: "numeric" }).format(NOW));
const PREVIOUS = YEAR - 1;
let refusalWithOtherAccount: unknown;

beforeAll(async () => {
  await seedOrganisations(db);
  await seedDemoUsers(db);
  // A database with one account that is not a demo account refuses the world; without it, the world is made.
  const [stranger] = await db.insert(users).values({ email: "agent@mairie.fr", name: "Agent" }).returning();
  refusalWithOtherAccount = await seedDemoWorld(db, NOW).catch((error: unknown) => error);
  await db.delete(users).where(eq(users.id, stranger!.id));
  await seedDemoWorld(db, NOW);
}, 240_000);

const idOf = async (slug: string) =>
  (await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug)))[0]!.id;

async function demoActor(slug: string, role: Role) {
  const [row] = await db
    .select({ userId: users.id, organisationId: memberships.organisationId })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.email, demoEmail(role, slug)));
  return (await actorOfMembership(row!.userId, row!.organisationId))!;
}

describe("the demo world's rules", () => {
  it("publishes both years' assiette: H adds up to 6 790, the MEL (with Lille's share) gets 1 121, rights within H", async () => {
    for (const year of [PREVIOUS, YEAR]) {
      const rows = await annexRows(db, year);
      expect(rows.filter((r) => r.forecast)).toHaveLength(19);
      expect(rows.reduce((sum, r) => sum + (r.forecast?.h ?? 0), 0)).toBe(DEMO_TOTAL_H);
      const collectivities = rows.reduce(
        (sum, r) =>
          sum +
          (r.reservataires.metropole.rounded ?? 0) +
          r.communes.reduce((s, c) => s + (c.rounded ?? 0), 0),
        0,
      );
      expect(collectivities, `${year}`).toBe(DEMO_MEL_RIGHTS);
      for (const r of rows) {
        const rights =
          Object.values(r.reservataires).reduce((s, x) => s + (x.rounded ?? 0), 0) +
          r.communes.reduce((s, c) => s + (c.rounded ?? 0), 0);
        expect(rights, r.bailleur.slug).toBeLessThanOrEqual(r.forecast!.h);
        expect(r.remainder, r.bailleur.slug).toBeGreaterThanOrEqual(0);
      }
    }
    // The current year's late bailleur came in by the rectificatif: version 2.
    const latest = await annexRows(db, YEAR);
    expect(latest.find((r) => r.bailleur.slug === "flandre-opale-habitat")?.forecast?.h).toBe(70);
    expect(
      (await annexRows(db, YEAR, 1)).find((r) => r.bailleur.slug === "flandre-opale-habitat")?.forecast,
    ).toBeNull();
  });

  it("records about 6 000 attributions of the past twelve months, each on one contingent its réservataire holds", async () => {
    const rows = await db.select().from(attributions);
    expect(rows.length).toBeGreaterThan(5500);
    expect(rows.length).toBeLessThan(6500);
    const yearAgo = new Date(NOW.getTime() - 366 * 86_400_000).toISOString().slice(0, 10);
    expect(rows.every((r) => r.leaseDate >= yearAgo)).toBe(true);
    const holders = new Set<string>();
    for (const year of [PREVIOUS, YEAR])
      for (const pair of await contingentPairs(db, { year }))
        holders.add(`${year}|${pair.reservataire.id}|${pair.bailleur.id}`);
    for (const r of rows) {
      if (r.contingent === "none") expect(r.reservataireId).toBeNull();
      // Lille's guarantee share on Lille Métropole Habitat, from the current year (inside the MEL's line).
      else if (r.contingent === "commune")
        expect([r.reservataireId, r.bailleurId, r.leaseDate.slice(0, 4)]).toEqual([
          await idOf("commune-59350"),
          await idOf("lille-metropole-habitat"),
          String(YEAR),
        ]);
      else
        expect(
          holders.has(`${r.leaseDate.slice(0, 4)}|${r.reservataireId}|${r.bailleurId}`),
          r.contingent,
        ).toBe(true);
    }
    const contingents = new Set(rows.map((r) => r.contingent));
    for (const c of [
      "etat",
      "mel",
      "commune",
      "action_logement",
      "action_logement_retrocession",
      "sicf",
      "none",
    ])
      expect(contingents, c).toContain(c);
    expect(new Set(rows.map((r) => r.communeInsee)).size).toBeGreaterThan(50);
    expect(rows.some((r) => r.qpv) && rows.some((r) => !r.qpv)).toBe(true);
  });

  it("has réservataires on track (État), behind (Action Logement) and over (SICF)", async () => {
    const rows = await consumptionReport(await demoActor("mel", "lecteur"), YEAR, NOW);
    const states = (slug: string) =>
      new Set(rows.filter((r) => r.reservataire.slug === slug && r.rights).map((r) => r.state));
    expect(states("etat")).toContain("on_track");
    expect(states("action-logement")).toContain("behind");
    expect(states("sicf")).toContain("exceeded");
  });

  it("masks counts under 5 for a commune, and only for a commune", async () => {
    const figures = (report: { byContingent: Array<Record<string, unknown>> }) =>
      report.byContingent.flatMap((row) => Object.values(row).filter((v) => v !== true && v !== false));
    const asLille = figures(
      await indicatorReport(await demoActor("commune-59350", "lecteur"), { year: YEAR, qpv: undefined }),
    );
    expect(asLille).toContain(SMALL_COUNT_LABEL);
    expect(asLille.filter((v) => typeof v === "number" && v < 5)).toEqual([]);
    const asMel = figures(
      await indicatorReport(await demoActor("mel", "lecteur"), { year: YEAR, qpv: undefined }),
    );
    expect(asMel).not.toContain(SMALL_COUNT_LABEL);
  });

  it("has letters in every state, one due next week, and a contest with its thread", async () => {
    const rows = await db.select().from(avenants).where(eq(avenants.year, YEAR));
    const statuses = new Set(rows.map((r) => r.status));
    for (const s of ["draft", "sent", "accepted", "contested", "tacitly_accepted"])
      expect(statuses, s).toContain(s);
    // The README's letter: the MEL's to Vilogia, sent, its deadline within the coming week.
    const [mel, vilogia] = [await idOf("mel"), await idOf("vilogia")];
    const letter = rows.find((r) => r.reservataireId === mel && r.bailleurId === vilogia)!;
    expect(letter.status).toBe("sent");
    expect(letter.deadlineEndsAt!.getTime()).toBeGreaterThan(NOW.getTime());
    expect(letter.deadlineEndsAt!.getTime()).toBeLessThan(NOW.getTime() + 8 * 86_400_000);
    const previous = await db
      .select()
      .from(avenants)
      .where(and(eq(avenants.year, PREVIOUS), ne(avenants.status, "accepted")));
    expect(previous.every((r) => r.status === "tacitly_accepted")).toBe(true);
  });

  it("has signalements of Lille, Roubaix and Tourcoing at every step, a CRIB session, programmes, comités, mails", async () => {
    const rows = await db
      .select({ status: signalements.status, insee: organisations.inseeCode })
      .from(signalements)
      .innerJoin(organisations, eq(organisations.id, signalements.communeId));
    for (const insee of ["59350", "59512", "59599"])
      expect(new Set(rows.filter((r) => r.insee === insee).map((r) => r.status)), insee).toEqual(
        new Set(SIGNALEMENT_STATUSES),
      );
    expect(await db.$count(cribSessions)).toBe(1);
    expect(new Set((await db.select().from(programmes)).map((p) => p.status))).toEqual(
      new Set(["announced", "declared", "split_recorded"]),
    );
    const held = await db.select().from(comites);
    expect(held.some((c) => c.minutesRecordedAt)).toBe(true);
    expect(held.some((c) => c.heldOn > NOW.toISOString().slice(0, 10))).toBe(true);
    expect(await db.$count(conventions, eq(conventions.status, "signed"))).toBeGreaterThanOrEqual(9);
    const [mails] = await db.select({ n: count() }).from(emailOutbox);
    expect(mails!.n).toBeGreaterThan(100);
  });
  it("gives partners calendar obligations done, due and late", async () => {
    const statuses = new Set<string>();
    for (const slug of ["mel", "etat", "vilogia"])
      for (const item of await calendarOf(await demoActor(slug, "lecteur"), NOW)) statuses.add(item.status);
    for (const status of ["done", "due", "late"]) expect(statuses, status).toContain(status);
  });
});

describe("the demo world's refusals", () => {
  it("refuses a database with an account that is not a demo account, in French, writing nothing", () => {
    expect(refusalWithOtherAccount).toBeInstanceOf(DomainError);
    expect((refusalWithOtherAccount as DomainError).kind).toBe("conflict");
    expect((refusalWithOtherAccount as Error).message).toMatch(
      /1 compte\(s\) qui ne sont pas des comptes de démonstration/,
    );
  });

  it("does nothing the second time (idempotent), and refuses another world next to these data", async () => {
    const before = await demoFigures([PREVIOUS, YEAR]);
    expect((await seedDemoWorld(db, NOW)).created).toBe(false);
    expect(await demoFigures([PREVIOUS, YEAR])).toEqual(before);
    expect(await demoWorldRefusal(db)).toMatch(/contient déjà des données/);
  });
});

describe("the demo world's pages", () => {
  async function browserAs(slug: string, role: Role) {
    const actor = await demoActor(slug, role);
    return browserOf({ id: actor.user.id, organisationId: actor.organisation.id } as TestUser);
  }
  type Loader = (args: never) => unknown;
  /** A page answers 200 and shows what `content` picks (a list): not its empty state. */
  async function expectContent(
    who: [string, Role],
    page: { loader: Loader },
    path: string,
    content: (body: Record<string, unknown>) => unknown,
    params: Record<string, string> = {},
  ) {
    const browser = await browserAs(...who);
    const { status, body } = await browser.get(page.loader, path, params);
    expect(status, `${who.join(" ")} ${path}`).toBe(200);
    const shown = content(body);
    expect(Array.isArray(shown) ? shown.length : 0, `${who.join(" ")} ${path}`).toBeGreaterThan(0);
  }
  const firstId = async (table: typeof comites | typeof cribSessions | typeof programmes) =>
    (await db.select({ id: table.id }).from(table))[0]!.id;

  it("shows the MEL its assiette, letters, conventions, reports, attributions, signalements, CRIB, programmes, comités, calendar, journal and outbox", async () => {
    const mel: [string, Role] = ["mel", "gestionnaire"];
    await expectContent(mel, assiette, `/assiette/${YEAR}`, (b) => (b.annex as { rows: unknown[] }).rows, {
      year: String(YEAR),
    });
    await expectContent(mel, avenantsPage, "/avenants", (b) => b.letters);
    await expectContent(mel, conventionsPage, "/conventions", (b) => b.conventions);
    await expectContent(mel, consumption, "/consommation", (b) => b.rows);
    await expectContent(
      mel,
      indicators,
      "/indicateurs",
      (b) => (b.report as { byContingent: unknown[] }).byContingent,
    );
    await expectContent(mel, attributionsPage, "/attributions", (b) => b.attributions);
    await expectContent(
      mel,
      signalementsBoard,
      "/signalements/tableau",
      (b) => (b.stats as { perCommune: unknown[] }).perCommune,
    );
    await expectContent(mel, cribPage, "/crib", (b) => b.sessions);
    await expectContent(mel, crib, "/crib/x", (b) => b.cases, { id: await firstId(cribSessions) });
    await expectContent(mel, programmesPage, "/programmes", (b) => b.programmes);
    await expectContent(mel, programme, "/programmes/x", (b) => (b.programme as { flats: unknown[] }).flats, {
      id: await firstId(programmes),
    });
    await expectContent(mel, comitesPage, "/comites", (b) => b.comites);
    await expectContent(mel, comite, "/comites/x", (b) => (b.comite as { invited: unknown[] }).invited, {
      id: await firstId(comites),
    });
    await expectContent(mel, calendar, "/calendrier", (b) => b.items);
    await expectContent(["mel", "admin"], journal, "/journal", (b) => b.entries);
    await expectContent(["mel", "admin"], outbox, "/plateforme/courriels", (b) => b.mails);
    await expectContent(mel, home, "/accueil", (b) => b.todos);
  });

  it("shows a bailleur its assiette, letters, attributions, signalements, CRIB, programmes and consumption", async () => {
    const vilogia: [string, Role] = ["vilogia", "gestionnaire"];
    await expectContent(
      vilogia,
      assiette,
      `/assiette/${YEAR}`,
      (b) => (b.annex as { rows: unknown[] }).rows,
      { year: String(YEAR) },
    );
    await expectContent(["vilogia", "signataire"], avenantsPage, "/avenants", (b) => b.letters);
    await expectContent(vilogia, attributionsPage, "/attributions", (b) => b.attributions);
    await expectContent(vilogia, signalementsPage, "/signalements", (b) => b.rows);
    await expectContent(vilogia, cribPage, "/crib", (b) => b.sessions);
    await expectContent(vilogia, programmesPage, "/programmes", (b) => b.programmes);
    await expectContent(vilogia, consumption, "/consommation", (b) => b.rows);
    await expectContent(vilogia, calendar, "/calendrier", (b) => b.items);
  });

  it("shows a commune its signalements, its consumption and indicators (masked), its convention and the comité's reporting", async () => {
    const lille: [string, Role] = ["commune-59350", "gestionnaire"];
    await expectContent(lille, signalementsPage, "/signalements", (b) => b.rows);
    const [own] = await db
      .select({ id: signalements.id })
      .from(signalements)
      .where(eq(signalements.communeId, await idOf("commune-59350")));
    await expectContent(
      lille,
      signalement,
      "/signalements/x",
      (b) => (b.signalement as { events: unknown[] }).events,
      { id: own!.id },
    );
    await expectContent(lille, consumption, "/consommation", (b) => b.rows);
    await expectContent(
      lille,
      indicators,
      "/indicateurs",
      (b) => (b.report as { byContingent: unknown[] }).byContingent,
    );
    await expectContent(lille, conventionsPage, "/conventions", (b) => b.conventions);
    await expectContent(lille, comitesPage, "/comites", (b) => b.comites);
  });

  it("shows the État, Action Logement, the SICF, the URH and the Département their own pages", async () => {
    await expectContent(
      ["etat", "gestionnaire"],
      assiette,
      `/assiette/${YEAR}`,
      (b) => (b.annex as { rows: unknown[] }).rows,
      { year: String(YEAR) },
    );
    await expectContent(["etat", "signataire"], avenantsPage, "/avenants", (b) => b.letters);
    await expectContent(["etat", "gestionnaire"], calendar, "/calendrier", (b) => b.items);
    await expectContent(["action-logement", "gestionnaire"], consumption, "/consommation", (b) => b.rows);
    await expectContent(["action-logement", "gestionnaire"], rates, "/taux-negocies", (b) => b.rates);
    await expectContent(["action-logement", "signataire"], avenantsPage, "/avenants", (b) => b.letters);
    await expectContent(["sicf", "gestionnaire"], attributionsPage, "/attributions", (b) => b.attributions);
    await expectContent(["sicf", "signataire"], conventionsPage, "/conventions", (b) => b.conventions);
    await expectContent(["urh", "gestionnaire"], crib, "/crib/x", (b) => b.cases, {
      id: await firstId(cribSessions),
    });
    await expectContent(["urh", "lecteur"], comitesPage, "/comites", (b) => b.comites);
    await expectContent(
      ["departement-nord", "lecteur"],
      conventionsPage,
      "/conventions",
      (b) => b.conventions,
    );
  });
});

describe("the demo world's determinism", () => {
  it("gives the same figures on another new database the same day", async () => {
    const child = spawnSync(process.execPath, ["--import", "tsx", "tests/helpers/demo-world-child.ts"], {
      env: { ...process.env, DATABASE_URL: "", DATA_DIR: "memory://", DEMO_NOW: NOW.toISOString() },
      encoding: "utf8",
      timeout: 200_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const other = JSON.parse(child.stdout.trim().split("\n").at(-1)!);
    expect(other).toEqual(JSON.parse(JSON.stringify(await demoFigures([PREVIOUS, YEAR]))));
  }, 240_000);
});
