import { and, count, eq, like, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import {
  attributions,
  auditLog,
  emailOutbox,
  signalementComments,
  signalementEvents,
  signalementReads,
  signalements,
} from "#db/schema";
import { runJobs } from "~/jobs/run.server";
import {
  anonymiseClosedSignalements,
  SIGNALEMENT_PAGE_SIZE,
  STATUS_COUNT_CAP,
} from "~/models/signalements.server";
import { loader as boardLoader } from "~/routes/_app.signalements._index";
import { action as attributionsAction } from "~/routes/api.v1.attributions";
import { action as createAction, loader as listLoader } from "~/routes/api.v1.signalements";
import { loader as detailLoader } from "~/routes/api.v1.signalements.$id";
import { action as eventAction } from "~/routes/api.v1.signalements.$id.events";
import { type Caller, caller } from "./helpers/clients";
import { createUser, organisation, requestAs, requestWithBearer } from "./helpers/fixtures";

let communeA: Caller; // Lille
let communeALecteur: Caller;
let communeB: Caller; // Roubaix
let vilogia: Caller;
let vilogiaLecteur: Caller;
let vilogiaAdmin: Caller;
let communeAAdmin: Caller;
let partenord: Caller;
let melGestionnaire: Caller;
let etat: Caller;

const json = (body: unknown): RequestInit => ({
  method: "POST",
  body: JSON.stringify(body),
  headers: { "content-type": "application/json" },
});

async function call(
  who: Caller,
  handler: (args: never) => Promise<Response>,
  path: string,
  init: RequestInit = {},
  params: Record<string, string> = {},
) {
  const response = await handler({
    request: requestWithBearer(who.token, `/api/v1${path}`, init),
    params,
    context: {},
  } as never);
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { message?: string },
  };
}

const create = (who: Caller, body: unknown) => call(who, createAction, "/signalements", json(body));
const list = (who: Caller, query = "") => call(who, listLoader, `/signalements${query}`);
const detail = (who: Caller, id: string) => call(who, detailLoader, `/signalements/${id}`, {}, { id });
const event = (who: Caller, id: string, body: unknown) =>
  call(who, eventAction, `/signalements/${id}/events`, json(body), { id });

const household = (numeroUnique: string, extra: Record<string, unknown> = {}) => ({
  numeroUnique,
  adults: 2,
  children: 3,
  typology: "T4",
  communesWanted: ["59350", "59512"],
  publicCategory: "dalo_labellise",
  incomeQuartile: 1,
  urgency: "urgent",
  reason: "Suroccupation du logement actuel.",
  bailleurSlugs: ["vilogia"],
  ...extra,
});

async function countSignalements() {
  const [row] = await db.select({ n: count() }).from(signalements);
  return Number(row!.n);
}

beforeAll(async () => {
  communeA = await caller("commune-59350", ["gestionnaire"]);
  communeALecteur = await caller("commune-59350", ["lecteur"]);
  communeB = await caller("commune-59512", ["gestionnaire"]);
  vilogia = await caller("vilogia", ["gestionnaire"]);
  vilogiaLecteur = await caller("vilogia", ["lecteur"]);
  vilogiaAdmin = await caller("vilogia", ["admin"]);
  communeAAdmin = await caller("commune-59350", ["admin"]);
  partenord = await caller("partenord-habitat", ["admin"]);
  melGestionnaire = await caller("mel", ["gestionnaire"]);
  etat = await caller("etat", ["admin"]);
});

describe("creating a signalement", () => {
  it("lets a commune gestionnaire signal a household to a bailleur, which is told by e-mail", async () => {
    const created = await create(communeA, household("059 2401 00001 A"));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const [row] = await db.select().from(signalements).where(eq(signalements.id, id));
    expect(row).toMatchObject({
      communeId: communeA.organisationId,
      numeroUnique: "059240100001A",
      status: "sent",
      adults: 2,
      children: 3,
      communesWanted: ["59350", "59512"],
      followedElsewhere: false,
    });
    // Nobody named yet: the bailleur's admins are told, not each gestionnaire; the mail says which signalement.
    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.to, vilogiaAdmin.email));
    const mail = mails.find((m) => m.subject === "Nouveau signalement 059240100001A (Lille)");
    expect(mail?.text).toContain(`/signalements/${id}`);
    expect(mail?.text).not.toContain("Suroccupation");
    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.to, vilogia.email))).toEqual([]);
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, id), eq(auditLog.action, "signalement.create")));
    expect(audits).toHaveLength(1);
  });

  it.each([
    [
      "a malformed numéro unique",
      household("12-34"),
      400,
      (b: Record<string, unknown>) =>
        expect((b.errors as Record<string, string>).numeroUnique).toMatch(/code du département/),
    ],
    [
      "an unknown bailleur",
      household("059 2401 00002 A", { bailleurSlugs: ["vilogia", "bailleur-imaginaire"] }),
      400,
      (b: Record<string, unknown>) =>
        expect(b.message).toBe(
          "Bailleur inconnu : bailleur-imaginaire. Choisissez les bailleurs dans la liste de l'annuaire.",
        ),
    ],
    [
      "an organisation that is not a bailleur",
      household("059 2401 00002 A", { bailleurSlugs: ["commune-59512"] }),
      400,
      (b: Record<string, unknown>) => expect(b.message).toMatch(/^Bailleur inconnu : commune-59512/),
    ],
    [
      "no bailleur",
      household("059 2401 00002 A", { bailleurSlugs: [] }),
      400,
      (b: Record<string, unknown>) =>
        expect((b.errors as Record<string, string>).bailleurSlugs).toBe(
          "Choisissez au moins un bailleur destinataire.",
        ),
    ],
    [
      "a commune outside the metropolis",
      household("059 2401 00002 A", { communesWanted: ["75056"] }),
      400,
      (b: Record<string, unknown>) =>
        expect((b.errors as Record<string, string>).communesWanted).toBe(
          "Communes souhaitées : « 75056 » n'est le code INSEE d'aucune commune de la MEL. Choisissez la commune dans la liste (par exemple 59350 pour Lille ; pas le code postal).",
        ),
    ],
    [
      "a well-formed code that is no commune (12345) or a postcode (59000)",
      household("059 2401 00002 A", { communesWanted: ["59350", "12345", "59000"] }),
      400,
      (b: Record<string, unknown>) =>
        expect(b.message).toMatch(
          /^Communes souhaitées : « 12345 », « 59000 » ne sont les codes INSEE d'aucune/,
        ),
    ],
  ])("refuses %s with a French message, and creates nothing", async (_what, body, status, check) => {
    const before = await countSignalements();
    const answer = await create(communeA, body);
    expect(answer.status).toBe(status);
    check(answer.body);
    expect(await countSignalements()).toBe(before);
  });

  it("refuses a commune lecteur, a bailleur and the MEL (403), creating nothing", async () => {
    const before = await countSignalements();
    for (const who of [communeALecteur, vilogia, melGestionnaire, etat]) {
      const answer = await create(who, household("059 2401 00003 A"));
      expect(answer.status, who.email).toBe(403);
      expect(answer.body.message).toMatch(/rôle|commune/);
    }
    expect(await countSignalements()).toBe(before);
  });
});

describe("duplicates", () => {
  it("refuses a second open signalement for the same numéro unique in the same commune (409)", async () => {
    expect((await create(communeA, household("059 2402 00010 B"))).status).toBe(201);
    const before = await countSignalements();
    const second = await create(
      communeA,
      household("0592402-00010b", { bailleurSlugs: ["partenord-habitat"] }),
    );
    expect(second.status).toBe(409);
    expect(second.body.message).toMatch(/déjà un signalement ouvert pour ce numéro unique/);
    expect(await countSignalements()).toBe(before);
  });

  it("tells only the MEL when another commune already follows the numéro unique", async () => {
    const first = await create(communeA, household("059 2403 00020 C"));
    const mailsBefore = await db.select().from(emailOutbox);
    const second = await create(
      communeB,
      household("059 2403 00020 C", { bailleurSlugs: ["partenord-habitat"] }),
    );
    expect(second.status).toBe(201);
    const secondId = second.body.id as string;
    expect(JSON.stringify(second.body)).not.toMatch(/ailleurs|elsewhere|déjà/i);

    // The MEL gets a mail and sees the flag.
    const newMails = (await db.select().from(emailOutbox)).filter(
      (m) => !mailsBefore.some((b) => b.id === m.id),
    );
    expect(newMails.filter((m) => m.to === melGestionnaire.email).map((m) => m.subject)).toEqual([
      "Signalement : numéro unique déjà suivi par une autre organisation",
    ]);
    expect(newMails.filter((m) => m.subject.includes("déjà suivi")).map((m) => m.to)).toEqual([
      melGestionnaire.email,
    ]);
    const melView = await detail(melGestionnaire, secondId);
    expect(melView.body.followedElsewhere).toBe(true);

    // The second commune learns nothing: no flag, no trace of the first commune's signalement.
    const bView = await detail(communeB, secondId);
    expect(bView.status).toBe(200);
    expect(bView.body).not.toHaveProperty("followedElsewhere");
    const bSearch = await list(communeB, "?numeroUnique=059%202403%2000020%20C");
    expect((bSearch.body as unknown as Array<{ id: string }>).map((r) => r.id)).toEqual([secondId]);
    expect((await detail(communeB, first.body.id as string)).status).toBe(404);
    const aView = await detail(communeA, first.body.id as string);
    expect(aView.body).not.toHaveProperty("followedElsewhere");
  });

  it("allows a new signalement once the previous one is closed", async () => {
    const first = await create(communeA, household("059 2404 00030 D"));
    const closed = await event(communeA, first.body.id as string, {
      type: "closed",
      closure: "withdrawn_by_commune",
    });
    expect(closed.status).toBe(201);
    expect((await create(communeA, household("059 2404 00030 D"))).status).toBe(201);
  });
});

describe("follow-up", () => {
  it("lets the bailleur acknowledge and present in CALEOL, tells the commune, and keeps a dated history", async () => {
    const { body } = await create(
      communeA,
      household("059 2405 00040 E", { bailleurSlugs: ["vilogia", "partenord-habitat"] }),
    );
    const id = body.id as string;
    expect((await event(vilogia, id, { type: "acknowledged" })).body).toEqual({ status: "acknowledged" });
    // The second addressee acknowledges too; the status stays.
    expect((await event(partenord, id, { type: "acknowledged" })).body).toEqual({ status: "acknowledged" });
    expect((await event(partenord, id, { type: "acknowledged" })).status).toBe(409);
    expect((await event(vilogia, id, { type: "searching" })).status).toBe(201);
    const presented = await event(vilogia, id, {
      type: "presented_caleol",
      caleolDate: "2026-03-12",
      flatCommune: "59350",
      flatTypology: "T4",
    });
    expect(presented.body).toEqual({ status: "presented_caleol" });

    const seen = await detail(communeA, id);
    expect(seen.body.status).toBe("presented_caleol");
    const events = seen.body.events as Array<{ type: string; details: Record<string, string>; at: string }>;
    expect(events.map((e) => e.type)).toEqual([
      "sent",
      "acknowledged",
      "acknowledged",
      "searching",
      "presented_caleol",
    ]);
    expect(events.at(-1)!.details).toEqual({
      caleolDate: "2026-03-12",
      flatCommune: "59350",
      flatTypology: "T4",
    });
    const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.to, communeAAdmin.email));
    const step = mails.find((m) => m.subject === "Signalement 059240500040E (Lille) : Présenté en CALEOL");
    expect(step?.text).toContain(
      "Vilogia a enregistré l'étape « Présenté en CALEOL » sur le signalement 059240500040E (Lille).",
    );
    expect(step?.text).toContain(`/signalements/${id}`);
  });

  it("refuses illegal jumps, missing details, and steps by the wrong side, changing nothing", async () => {
    const { body } = await create(communeA, household("059 2406 00050 F"));
    const id = body.id as string;
    const eventsBefore = async () =>
      Number(
        (
          await db
            .select({ n: count() })
            .from(signalementEvents)
            .where(eq(signalementEvents.signalementId, id))
        )[0]!.n,
      );
    const n = await eventsBefore();

    const jump = await event(vilogia, id, { type: "lease_signed", signedOn: "2026-04-01" });
    expect(jump.status).toBe(409);
    expect(jump.body.message).toBe(
      "Passage impossible de « Envoyé » à « Bail signé ». Étapes possibles : « Accusé de réception », « Clos ».",
    );
    const communeStep = await event(communeA, id, { type: "acknowledged" });
    expect(communeStep.status).toBe(409);
    expect(communeStep.body.message).toMatch(/La commune ne peut que clore/);
    await event(vilogia, id, { type: "acknowledged" });
    const missing = await event(vilogia, id, { type: "presented_caleol" });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/date de la CALEOL/);
    const notMel = await event(vilogia, id, {
      type: "presented_caleol",
      caleolDate: "2026-03-12",
      flatCommune: "59999",
      flatTypology: "T3",
    });
    expect(notMel.status).toBe(400);
    expect((notMel.body.errors as Record<string, string>).flatCommune).toMatch(
      /^Commune du logement : « 59999 » n'est le code INSEE d'aucune commune de la MEL/,
    );
    const unknownType = await event(vilogia, id, { type: "teleported" });
    expect(unknownType.status).toBe(400);
    expect(await eventsBefore()).toBe(n + 1);
    const [row] = await db.select().from(signalements).where(eq(signalements.id, id));
    expect(row!.status).toBe("acknowledged");
  });

  it("answers 404 to organisations the signalement is not addressed to, 403 to a reader, in French", async () => {
    const { body } = await create(communeA, household("059 2407 00060 G"));
    const id = body.id as string;
    for (const who of [communeB, partenord, etat]) {
      const answer = await event(who, id, { type: "acknowledged" });
      expect(answer.status, who.email).toBe(404);
      expect(answer.body.message).toBe("Ce signalement est introuvable, ou vous n'y avez pas accès.");
      expect((await detail(who, id)).status).toBe(404);
    }
    expect((await event(vilogiaLecteur, id, { type: "acknowledged" })).status).toBe(403);
    expect((await event(melGestionnaire, id, { type: "acknowledged" })).status).toBe(403);
    expect((await detail(communeA, "pas-un-uuid")).status).toBe(404);
    expect((await detail(communeA, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const [row] = await db.select().from(signalements).where(eq(signalements.id, id));
    expect(row!.status).toBe("sent");
  });

  it("logs every read of a household's detail", async () => {
    const { body } = await create(communeA, household("059 2408 00070 H"));
    const id = body.id as string;
    await detail(vilogia, id);
    await detail(melGestionnaire, id);
    await detail(communeB, id); // refused: not logged
    const reads = await db.select().from(signalementReads).where(eq(signalementReads.signalementId, id));
    expect(reads.map((r) => [r.userId, r.via])).toEqual([
      [vilogia.id, "api"],
      [melGestionnaire.id, "api"],
    ]);
  });

  it("lists by party: a commune its own, a bailleur what is addressed to it, the MEL everything", async () => {
    const ids = async (who: Caller, q = "") =>
      ((await list(who, q)).body as unknown as Array<{ id: string; communeId: string }>).map(
        (r) => r.communeId,
      );
    expect(new Set(await ids(communeA))).toEqual(new Set([communeA.organisationId]));
    expect(new Set(await ids(communeB))).toEqual(new Set([communeB.organisationId]));
    expect(new Set(await ids(melGestionnaire))).toEqual(
      new Set([communeA.organisationId, communeB.organisationId]),
    );
    const partenordRows = (await list(partenord)).body as unknown as Array<{
      bailleurs: Array<{ slug: string }>;
    }>;
    expect(partenordRows.length).toBeGreaterThan(0);
    expect(partenordRows.every((r) => r.bailleurs.some((b) => b.slug === "partenord-habitat"))).toBe(true);
    const acknowledged = (await list(vilogia, "?status=acknowledged")).body as unknown as Array<{
      status: string;
    }>;
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.every((r) => r.status === "acknowledged")).toBe(true);
    expect((await list(etat)).status).toBe(403);
    expect((await list(vilogia, "?status=inconnu")).status).toBe(400);
  });

  it("lists without the household's details, which only the (logged) detail gives", async () => {
    const [row] = (await list(vilogia)).body as unknown as Array<Record<string, unknown>>;
    expect(row).toMatchObject({ numeroUnique: expect.any(String), communeName: expect.any(String) });
    for (const field of ["adults", "children", "communesWanted", "incomeQuartile", "reason"])
      expect(row, field).not.toHaveProperty(field);
    const readsBefore = (await db.select().from(signalementReads)).length;
    const full = (await detail(vilogia, row!.id as string)).body as unknown as Record<string, unknown>;
    expect(full).toMatchObject({ adults: expect.any(Number), reason: expect.any(String) });
    expect((await db.select().from(signalementReads)).length).toBe(readsBefore + 1);
  });
});

describe("« Bail signé » and the attribution", () => {
  const flat = {
    contingent: "none",
    financing: "plus",
    constructionPeriod: "1975_1989",
    transfer: "none",
    qpv: "non",
    pmr: "non",
    firstLetting: "non",
  };
  async function upToDecision(numero: string) {
    const { body } = await create(communeA, household(numero));
    const id = body.id as string;
    await event(vilogia, id, { type: "acknowledged" });
    await event(vilogia, id, {
      type: "presented_caleol",
      caleolDate: "2026-02-10",
      flatCommune: "59512",
      flatTypology: "T3",
    });
    await event(vilogia, id, { type: "caleol_decision", decision: "attribution" });
    return id;
  }
  const attributionsOf = (numero: string) =>
    db.select().from(attributions).where(eq(attributions.numeroUnique, numero));

  it("records the attribution with the lease, once, from what the signalement knows", async () => {
    const id = await upToDecision("059 2412 00800 A");
    const future = await event(vilogia, id, {
      type: "lease_signed",
      signedOn: "2999-01-01",
      attribution: flat,
    });
    expect(future.status).toBe(400);
    expect(future.body.message).toMatch(/La date de signature du bail \(2999-01-01\) est dans le futur/);
    const incomplete = await event(vilogia, id, { type: "lease_signed", signedOn: "2026-02-20" });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.message).toMatch(/^Attribution incomplète/);
    expect(await attributionsOf("059241200800A")).toEqual([]);

    const signed = await event(vilogia, id, {
      type: "lease_signed",
      signedOn: "2026-02-20",
      attribution: flat,
    });
    expect(signed.status).toBe(201);
    const [recorded, ...more] = await attributionsOf("059241200800A");
    expect(more).toEqual([]);
    expect(recorded).toMatchObject({
      leaseDate: "2026-02-20",
      communeInsee: "59512",
      typology: "T3",
      publicCategory: "dalo_labellise",
      incomeQuartile: 1,
      financing: "plus",
    });
    const events = (await detail(vilogia, id)).body.events as Array<{
      type: string;
      details: { attributionId?: string };
    }>;
    expect(events.at(-1)!.details.attributionId).toBe(recorded!.id);
  });

  it("links to the attribution the bailleur already recorded for the same lease instead of entering it twice", async () => {
    const id = await upToDecision("059 2412 00801 A");
    const batch = await call(
      vilogia,
      attributionsAction,
      "/attributions",
      json({
        attributions: [
          {
            ...flat,
            numeroUnique: "059 2412 00801 A",
            leaseDate: "2026-02-21",
            bailleurSlug: "vilogia",
            communeInsee: "59512",
            typology: "T3",
            publicCategory: "dalo_labellise",
          },
        ],
      }),
    );
    expect(batch.status).toBe(201);
    const [before] = await attributionsOf("059241200801A");
    expect(
      (await event(vilogia, id, { type: "lease_signed", signedOn: "2026-02-21", attribution: flat })).status,
    ).toBe(201);
    expect((await attributionsOf("059241200801A")).map((a) => a.id)).toEqual([before!.id]);
  });
});

describe("filters", () => {
  it("narrows the list by commune, bailleur, public, urgency and period, and refuses a code outside the MEL", async () => {
    const a = await create(
      communeA,
      household("059 2410 00901 A", { urgency: "very_urgent", publicCategory: "npru" }),
    );
    const b = await create(
      communeB,
      household("059 2410 00902 A", { urgency: "very_urgent", bailleurSlugs: ["partenord-habitat"] }),
    );
    const ids = (r: { body: unknown }) => (r.body as Array<{ id: string }>).map((x) => x.id);
    const veryUrgent = ids(await list(melGestionnaire, "?urgency=very_urgent"));
    expect(veryUrgent).toEqual(expect.arrayContaining([a.body.id, b.body.id]));
    expect(ids(await list(melGestionnaire, "?urgency=very_urgent&commune=59512"))).toEqual([b.body.id]);
    expect(ids(await list(melGestionnaire, "?urgency=very_urgent&bailleur=vilogia"))).toEqual([a.body.id]);
    expect(ids(await list(melGestionnaire, "?publicCategory=npru"))).toEqual([a.body.id]);
    expect(ids(await list(vilogia, "?urgency=very_urgent"))).toEqual([a.body.id]);
    const today = new Date().toISOString().slice(0, 10);
    expect(ids(await list(melGestionnaire, `?urgency=very_urgent&from=${today}&to=${today}`))).toHaveLength(
      2,
    );
    expect(ids(await list(melGestionnaire, "?urgency=very_urgent&to=2020-01-01"))).toEqual([]);
    const wrong = await list(melGestionnaire, "?commune=12345");
    expect(wrong.status).toBe(400);
    expect((wrong.body.errors as Record<string, string>).commune).toMatch(/^Commune : « 12345 »/);
    expect((await list(melGestionnaire, "?from=hier")).status).toBe(400);
  });
});

describe("lists at scale", () => {
  /** Inserts `n` signalements of Tourcoing addressed to Clésence, as the data of years would be. */
  async function bulk(n: number, status: "sent" | "searching", key: string) {
    const tourcoing = await organisation("commune-59599");
    const clesence = await organisation("clesence");
    await db.execute(sql`
      with created as (
        insert into signalements (commune_id, numero_unique, adults, children, typology, communes_wanted,
          public_category, urgency, reason, status, created_at)
        select ${tourcoing.id}, '0592401' || lpad(g::text, 8, '0') || ${key}, 1, 0, 'T2', array['59599'], 'autre',
          'normal', 'Synthétique.', ${status}, now() - make_interval(mins => g)
        from generate_series(1, ${n}) g
        returning id, created_at, status)
      insert into signalement_bailleurs (signalement_id, bailleur_id, status, created_at)
      select id, ${clesence.id}, status, created_at from created`);
  }

  it("pages with a keyset cursor: every row once, newest first, for a commune and for a bailleur", async () => {
    const half = SIGNALEMENT_PAGE_SIZE / 2;
    await bulk(SIGNALEMENT_PAGE_SIZE + half, "sent", "B");
    const tourcoing = await caller("commune-59599", ["lecteur"]);
    const clesence = await caller("clesence", ["lecteur"]);
    for (const who of [tourcoing, clesence]) {
      const first = await listLoader({
        request: requestWithBearer(who.token, "/api/v1/signalements"),
        params: {},
        context: {},
      } as never);
      const page1 = (await first.json()) as Array<{ id: string; createdAt: string }>;
      expect(page1).toHaveLength(SIGNALEMENT_PAGE_SIZE);
      const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.get("link") ?? "")?.[1];
      expect(next).toBe(`/api/v1/signalements?after=${page1.at(-1)!.id}`);
      const page2 = (await list(who, next!.replace("/api/v1/signalements", ""))).body as unknown as Array<{
        id: string;
        createdAt: string;
      }>;
      expect(page2).toHaveLength(half);
      const all = [...page1, ...page2];
      expect(new Set(all.map((r) => r.id)).size).toBe(SIGNALEMENT_PAGE_SIZE + half);
      const times = all.map((r) => Date.parse(r.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
    // Another organisation's id as a cursor gives nothing (not even its place in the list).
    const [newest] = (await list(tourcoing)).body as unknown as Array<{ id: string }>;
    expect((await list(communeB, `?after=${newest!.id}`)).body).toEqual([]);
    expect((await list(tourcoing, "?after=pas-un-id")).status).toBe(400);
  });

  it("counts by status up to the cap only, for the commune and the bailleur alike", async () => {
    await bulk(STATUS_COUNT_CAP + 20, "searching", "C");
    for (const slug of ["commune-59599", "clesence"]) {
      const board = (await boardLoader({
        request: await requestAs(await createUser(slug, ["lecteur"]), "/signalements"),
        params: {},
        context: {},
      })) as { counts: Record<string, number> };
      expect(board.counts.searching).toBe(STATUS_COUNT_CAP + 1);
      // The signalements the previous test paged through, all still sent.
      expect(board.counts.sent).toBe(SIGNALEMENT_PAGE_SIZE * 1.5);
    }
  });
});

describe("anonymisation job", () => {
  it("anonymises signalements closed for more than 24 months, once, even when run twice at the same time", async () => {
    const old = await create(communeA, household("059 2201 00080 J"));
    const recent = await create(communeA, household("059 2201 00081 J"));
    const open = await create(communeA, household("059 2201 00082 J"));
    const oldId = old.body.id as string;
    await event(vilogia, oldId, { type: "acknowledged" });
    await event(vilogia, oldId, { type: "not_retained", reason: "Ressources insuffisantes pour le loyer." });
    await db.insert(signalementComments).values({ signalementId: oldId, text: "Le ménage a rappelé." });
    await event(communeA, recent.body.id as string, { type: "closed", closure: "demand_cancelled" });
    const now = new Date();
    const twentyFiveMonthsAgo = new Date(now);
    twentyFiveMonthsAgo.setUTCMonth(now.getUTCMonth() - 25);
    await db.update(signalements).set({ closedAt: twentyFiveMonthsAgo }).where(eq(signalements.id, oldId));

    const [a, b] = await Promise.all([anonymiseClosedSignalements(now), anonymiseClosedSignalements(now)]);
    expect(a.anonymised + b.anonymised).toBe(1);
    const again = await runJobs(now);
    expect(again.signalements).toEqual({ anonymised: 0 });

    const [row] = await db.select().from(signalements).where(eq(signalements.id, oldId));
    expect(row).toMatchObject({ numeroUnique: null, reason: null, status: "not_retained", adults: 2 });
    expect(row!.anonymisedAt).not.toBeNull();
    const comments = await db
      .select()
      .from(signalementComments)
      .where(eq(signalementComments.signalementId, oldId));
    expect(comments.map((c) => c.text)).toEqual([null]);
    const history = await db
      .select()
      .from(signalementEvents)
      .where(eq(signalementEvents.signalementId, oldId));
    expect(JSON.stringify(history.map((h) => h.details))).not.toMatch(/Ressources/);
    const audits = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, oldId), like(auditLog.action, "signalement.anonymise")));
    expect(audits).toHaveLength(1);
    for (const id of [recent.body.id, open.body.id] as string[]) {
      const [kept] = await db.select().from(signalements).where(eq(signalements.id, id));
      expect(kept!.numeroUnique).not.toBeNull();
      expect(kept!.anonymisedAt).toBeNull();
    }
  });

  it("follows SIGNALEMENT_RETENTION_MONTHS", async () => {
    const { body } = await create(communeA, household("059 2201 00090 K"));
    const id = body.id as string;
    await event(communeA, id, { type: "closed", closure: "withdrawn_by_commune" });
    const later = new Date(Date.now() + 2 * 31 * 24 * 3600_000);
    const anonymisedAt = async () =>
      (await db.select().from(signalements).where(eq(signalements.id, id)))[0]!.anonymisedAt;
    await anonymiseClosedSignalements(later);
    expect(await anonymisedAt()).toBeNull();
    process.env.SIGNALEMENT_RETENTION_MONTHS = "1";
    try {
      expect((await anonymiseClosedSignalements(later)).anonymised).toBeGreaterThanOrEqual(1);
    } finally {
      delete process.env.SIGNALEMENT_RETENTION_MONTHS;
    }
    expect(await anonymisedAt()).toEqual(later);
  });
});
