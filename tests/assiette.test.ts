import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { assiettePublications, auditLog, emailOutbox, forecasts } from "#db/schema";
import { openApiDocument } from "~/api/openapi";
import { loader as assietteLoader } from "~/routes/api.v1.assiettes.$year";
import { action as publishAction } from "~/routes/api.v1.assiettes.$year.publish";
import { action as forecastAction } from "~/routes/api.v1.forecasts.$year";
import { createToken, createUser, organisation, requestWithBearer, type TestUser } from "./helpers/fixtures";
import { ASSIETTE_2023 } from "./helpers/worked-example";

/**
 * Forecasts and assiette on the API: bailleurs submit A–G, the État publishes (confirming while incomplete), and
 * each partner reads what DESIGN §4 gives it. Figures: the MEL deliberation's 2023 example (6 790, of which 1 121
 * for the MEL), split over nine bailleurs (tests/helpers/worked-example.ts).
 */
const YEAR = 2026;
const H_BY_BAILLEUR = ASSIETTE_2023;

type Json = Record<string, unknown>;
const tokens = new Map<string, string>();
let etat: TestUser;

async function call(
  handler: (args: never) => Promise<Response>,
  who: string,
  path: string,
  init: { method?: string; body?: unknown; params?: Record<string, string> } = {},
) {
  const request = requestWithBearer(tokens.get(who)!, path, {
    method: init.method ?? "GET",
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    headers: { "content-type": "application/json" },
  });
  const response = await handler({ request, params: init.params ?? {}, context: {} } as never);
  return { status: response.status, body: (await response.json()) as Json };
}

const putForecast = (who: string, body: unknown, year = YEAR) =>
  call(forecastAction as never, who, `/api/v1/forecasts/${year}`, {
    method: "PUT",
    body,
    params: { year: String(year) },
  });
const getAssiette = (who: string, year = YEAR) =>
  call(assietteLoader as never, who, `/api/v1/assiettes/${year}`, { params: { year: String(year) } });
const publish = (who: string, body: unknown) =>
  call(publishAction as never, who, `/api/v1/assiettes/${YEAR}/publish`, {
    method: "POST",
    body,
    params: { year: String(YEAR) },
  });

/** A forecast whose H is `h`: A = h + 100 (C..G take 100 out), B information only. */
const forecastFor = (h: number) => ({ a: h + 100, b: 20, c: 40, d: 30, e: 10, f: 10, g: 10 });

beforeAll(async () => {
  const users: Array<[string, string, Parameters<typeof createUser>[1]]> = [
    ["etat", "etat", ["gestionnaire"]],
    ["mel", "mel", ["lecteur"]],
    ["urh", "urh", ["lecteur"]],
    ["als", "action-logement", ["lecteur"]],
    ["departement", "departement-nord", ["lecteur"]],
    ["commune", "commune-59350", ["admin", "gestionnaire"]],
    ["vilogia-lecteur", "vilogia", ["lecteur"]],
    ...Object.keys(H_BY_BAILLEUR).map(
      (slug) => [slug, slug, ["gestionnaire"]] as [string, string, ["gestionnaire"]],
    ),
  ];
  for (const [who, slug, roles] of users) {
    const user = await createUser(slug, roles);
    if (who === "etat") etat = user;
    tokens.set(who, (await createToken(user)).token);
  }
});

describe("forecasts", () => {
  it("refuses negative, non-integer and C+D+E+F+G > A counts in French, storing nothing", async () => {
    const bad = [
      { ...forecastFor(100), a: -1 },
      { ...forecastFor(100), c: 2.5 },
      { ...forecastFor(100), d: "douze" },
      { a: 10, b: 0, c: 5, d: 3, e: 1, f: 1, g: 1 },
    ];
    for (const body of bad) {
      const res = await putForecast("vilogia", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.message).toMatch(/(nombre entier|dépasse A|corrigez)/);
    }
    expect((await putForecast("vilogia", { a: 10 })).status).toBe(400);
    const vilogia = await organisation("vilogia");
    expect(await db.select().from(forecasts).where(eq(forecasts.bailleurId, vilogia.id))).toEqual([]);
  });

  it("keeps a draft changeable, then freezes it once submitted (a second submission is refused)", async () => {
    const draft = await putForecast("vilogia", { ...forecastFor(1000), submit: false });
    expect(draft.status).toBe(200);
    expect(draft.body.status).toBe("draft");
    expect(draft.body.h).toBe(1000);
    const submitted = await putForecast("vilogia", forecastFor(H_BY_BAILLEUR.vilogia!));
    expect(submitted.body).toMatchObject({ status: "submitted", h: 1400 });
    expect(submitted.body.submittedAt).toBeTruthy();
    const again = await putForecast("vilogia", forecastFor(1));
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/transmise le/);
    const row = await getAssiette("vilogia");
    expect((row.body.rows as Json[])[0]).toMatchObject({ h: 1400 });
  });

  it("lets only the bailleur's gestionnaire or signataire submit, never another kind", async () => {
    expect((await putForecast("vilogia-lecteur", forecastFor(5))).status).toBe(403);
    expect((await putForecast("etat", forecastFor(5))).status).toBe(403);
    expect((await putForecast("commune", forecastFor(5))).status).toBe(403);
  });
});

describe("assiette", () => {
  it("shows who has submitted to the État, MEL and URH; a bailleur its own row; réservataires nothing yet", async () => {
    for (const slug of Object.keys(H_BY_BAILLEUR).filter((s) => s !== "vilogia"))
      expect((await putForecast(slug, forecastFor(H_BY_BAILLEUR[slug]!))).status).toBe(200);
    for (const who of ["etat", "mel", "urh"]) {
      const { body } = await getAssiette(who);
      expect(body.submitted).toBe(9);
      expect(body.total as number).toBeGreaterThan(9);
      expect((body.rows as Json[]).length).toBe(body.total);
      expect(body.published).toBe(false);
    }
    const own = await getAssiette("norevie");
    expect((own.body.rows as Json[]).map((r) => (r.bailleur as Json).slug)).toEqual(["norevie"]);
    expect(own.body.submitted).toBeUndefined();
    expect((await getAssiette("als")).body.rows).toEqual([]);
    expect((await getAssiette("departement")).body.rows).toEqual([]);
    expect((await getAssiette("commune")).status).toBe(403);
  });

  it("refuses to publish an incomplete assiette without explicit confirmation, and only for the État", async () => {
    const refused = await publish("etat", {});
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/n'ont pas transmis.*confirmez/);
    expect(await db.select().from(assiettePublications)).toEqual([]);
    expect((await publish("mel", { confirmIncomplete: true })).status).toBe(403);
    expect((await publish("etat", { confirmIncomplete: "oui" })).status).toBe(400);
    expect(await db.select().from(assiettePublications)).toEqual([]);
  });

  it("publishes with confirmation: réservataires then read every row with each contingent's rights", async () => {
    const outboxBefore = (await db.select().from(emailOutbox)).length;
    const done = await publish("etat", { confirmIncomplete: true });
    expect(done.status).toBe(200);
    expect(done.body.published).toBe(true);
    expect((await publish("etat", { confirmIncomplete: true })).status).toBe(409);
    expect((await db.select().from(emailOutbox)).length).toBeGreaterThanOrEqual(outboxBefore);
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, "assiette.publish"));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(etat.id);

    const { body } = await getAssiette("als");
    const rows = body.rows as Array<Json & { h: number; rights: Record<string, Json> }>;
    expect(rows).toHaveLength(9);
    expect(body.roundingRule).toMatch(/arrondie/);
    expect(rows.reduce((sum, r) => sum + r.h, 0)).toBe(6790);
    expect(rows.reduce((sum, r) => sum + (r.rights.mel!.rounded as number), 0)).toBe(1121);
    const partenord = rows.find((r) => (r.bailleur as Json).slug === "partenord-habitat")!;
    expect(partenord.rights.mel).toEqual({ rateBp: 0, exact: 0, rounded: 0 });
    // 1 185 × 28,7 % = 340,095 → 340
    expect(partenord.rights.etat).toEqual({ rateBp: 2870, exact: 340.095, rounded: 340 });
    expect(partenord.rights.action_logement_retrocession).toEqual({
      rateBp: 130,
      exact: 15.405,
      rounded: 15,
    });
    // After publication nobody changes a forecast through the API.
    const late = await putForecast("norevie", forecastFor(10));
    expect(late.status).toBe(409);
  });
});

describe("OpenAPI", () => {
  it("describes every endpoint of the yearly cycle", () => {
    const paths = Object.keys(openApiDocument.paths);
    for (const path of [
      "/assiettes/{year}",
      "/assiettes/{year}/publish",
      "/forecasts/{year}",
      "/avenants",
      "/avenants/generate",
      "/avenants/{id}/send",
      "/avenants/{id}/accept",
      "/avenants/{id}/contest",
    ])
      expect(paths).toContain(path);
  });
});
