import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditLog, forecasts } from "#db/schema";
import { assiettePublished, listBailleurs, ownForecast, versionLabelOf } from "~/models/assiette.server";
import { action as pageAction, loader as pageLoader } from "~/routes/_app.assiette.$year";
import { action as correctAction } from "~/routes/api.v1.assiettes.$year.correct";
import { action as publishAction } from "~/routes/api.v1.assiettes.$year.publish";
import { action as remindAction } from "~/routes/api.v1.assiettes.$year.remind";
import { action as validateAction } from "~/routes/api.v1.assiettes.$year.validate";
import { action as forecastAction } from "~/routes/api.v1.forecasts.$year";
import { apiOf, browserOf } from "./helpers/cycle";
import { actorOf, createUser, organisation, type TestUser } from "./helpers/fixtures";

/**
 * Issue 18: the État's steps on the forecasts are the same model functions from the assiette page and from the API
 * (correct, validate, remind), and the model's reads ask the policy themselves.
 */
const YEAR = 2030;
const path = `/assiette/${YEAR}`;
const params = { year: String(YEAR) };
const values = { a: 500, b: 10, c: 20, d: 30, e: 40, f: 50, g: 60 };
const asForm = (v: Record<string, number>) =>
  Object.fromEntries(Object.entries(v).map(([k, n]) => [k, String(n)]));

type Browser = Awaited<ReturnType<typeof browserOf>>;
type Api = Awaited<ReturnType<typeof apiOf>>;
const users: Record<string, TestUser> = {};
const page: Record<string, Browser> = {};
const api: Record<string, Api> = {};
const apiPost = (who: string, handler: unknown, step: string, body?: unknown) =>
  api[who]!.call(handler as never, `/api/v1/assiettes/${YEAR}/${step}`, { method: "POST", body, params });
const forecastOf = async (slug: string) => {
  const { id } = await organisation(slug);
  const [row] = await db
    .select()
    .from(forecasts)
    .where(and(eq(forecasts.bailleurId, id), eq(forecasts.year, YEAR)));
  return row!;
};

beforeAll(async () => {
  const people: Array<[string, string, Parameters<typeof createUser>[1]]> = [
    ["etat", "etat", ["gestionnaire"]],
    ["vilogia", "vilogia", ["gestionnaire"]],
    ["lmh", "lille-metropole-habitat", ["gestionnaire"]],
    ["commune", "commune-59350", ["admin"]],
    ["norevie", "norevie", ["gestionnaire"]],
  ];
  for (const [who, slug, roles] of people) {
    users[who] = await createUser(slug, roles);
    page[who] = await browserOf(users[who]);
    api[who] = await apiOf(users[who]);
  }
  for (const who of ["vilogia", "lmh"])
    await api[who]!.call(forecastAction as never, `/api/v1/forecasts/${YEAR}`, {
      method: "PUT",
      body: values,
      params,
    });
});

describe("the État's steps, the page and the API alike", () => {
  it("reminds the same bailleurs from the page as from the API", async () => {
    const onPage = await page.etat!.post(pageAction, path, { intent: "remind" }, params);
    const byApi = await apiPost("etat", remindAction, "remind");
    expect(byApi.status).toBe(200);
    const { bailleurs, mails } = byApi.body as { bailleurs: number; mails: number };
    // Every bailleur but the two that submitted.
    expect(bailleurs).toBeGreaterThan(10);
    expect(mails).toBeGreaterThan(0);
    expect(onPage.body.message).toBe(`Relance envoyée à ${bailleurs} bailleur(s) (${mails} courriel(s)).`);
    expect((await apiPost("vilogia", remindAction, "remind")).status).toBe(403);
  });

  it("corrects a forecast to the same row from the page as from the API", async () => {
    const corrected = { ...values, a: 520, g: 40 };
    const vilogia = await organisation("vilogia");
    const lmh = await organisation("lille-metropole-habitat");
    const onPage = await page.etat!.post(
      pageAction,
      path,
      { intent: "correct", bailleurId: vilogia.id, ...asForm(corrected) },
      params,
    );
    expect(onPage.body).toMatchObject({ ok: true, message: "Prévision corrigée." });
    const byApi = await apiPost("etat", correctAction, "correct", { bailleurId: lmh.id, ...corrected });
    expect(byApi.status).toBe(200);
    expect(byApi.body).toMatchObject({ bailleurId: lmh.id, status: "submitted", forecast: corrected });

    const [rowOnPage, rowByApi] = [await forecastOf("vilogia"), await forecastOf("lille-metropole-habitat")];
    const figures = ({ a, b, c, d, e, f, g, status }: typeof rowOnPage) => ({ a, b, c, d, e, f, g, status });
    expect(figures(rowByApi)).toEqual(figures(rowOnPage));
    const audited = await db.select().from(auditLog).where(eq(auditLog.action, "forecast.correct"));
    expect(audited.map((a) => a.subjectId).sort()).toEqual([rowOnPage.id, rowByApi.id].sort());
  });

  it("refuses the same wrong columns on both sides, and a bailleur's correction, writing nothing", async () => {
    const lmh = await organisation("lille-metropole-habitat");
    const before = await forecastOf("lille-metropole-habitat");
    const wrong = { ...values, c: 600 };
    const onPage = await page.etat!.post(
      pageAction,
      path,
      { intent: "correct", bailleurId: lmh.id, ...asForm(wrong) },
      params,
    );
    const byApi = await apiPost("etat", correctAction, "correct", { bailleurId: lmh.id, ...wrong });
    expect([onPage.status, byApi.status]).toEqual([400, 400]);
    // The page's form schema names column A, the model the whole form: the same rule in both words.
    expect((onPage.body.errors as Record<string, string>).a).toMatch(/H serait négative/);
    expect((byApi.body.errors as Record<string, string>).form).toMatch(/H serait négative/);
    const noBailleur = await apiPost("etat", correctAction, "correct", values);
    expect(noBailleur.status).toBe(400);
    expect((noBailleur.body.errors as Record<string, string>).bailleurId).toMatch(/bailleurId/);
    expect(
      (await apiPost("vilogia", correctAction, "correct", { bailleurId: lmh.id, ...values })).status,
    ).toBe(404);
    expect(await forecastOf("lille-metropole-habitat")).toEqual(before);
  });

  it("validates a forecast from the page as from the API, once", async () => {
    const onPage = (await forecastOf("vilogia")).id;
    const byApi = (await forecastOf("lille-metropole-habitat")).id;
    expect(
      (await page.etat!.post(pageAction, path, { intent: "validate", forecastId: onPage }, params)).body.ok,
    ).toBe(true);
    expect((await apiPost("etat", validateAction, "validate", { forecastId: byApi })).body).toEqual({
      forecastId: byApi,
      status: "validated",
    });
    expect([
      (await forecastOf("vilogia")).status,
      (await forecastOf("lille-metropole-habitat")).status,
    ]).toEqual(["validated", "validated"]);
    const again = await apiPost("etat", validateAction, "validate", { forecastId: onPage });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe("Cette prévision est déjà validée.");
    expect((await apiPost("vilogia", validateAction, "validate", { forecastId: byApi })).status).toBe(404);
  });

  it("after the publication, a correction waits for the rectificatif on both sides (202 on the API)", async () => {
    await apiPost("etat", publishAction, "publish", { confirmIncomplete: true });
    expect((await apiPost("etat", remindAction, "remind")).status).toBe(409);
    const lmh = await organisation("lille-metropole-habitat");
    const byApi = await apiPost("etat", correctAction, "correct", { bailleurId: lmh.id, ...values, a: 530 });
    expect(byApi.status).toBe(202);
    expect(byApi.body).toMatchObject({ pendingVersion: 2, message: expect.stringMatching(/rectificatif/) });
    // The bailleur's page shows its own row as it stands, and the version it waits for.
    const own = (await page.lmh!.get(pageLoader, path, params)).body;
    expect(own).toMatchObject({ ownRow: { forecast: { a: 530 } }, ownPendingVersion: 2 });
  });
});

describe("the assiette's reads ask the policy", () => {
  it("gives a bailleur its own row, and a commune nothing", async () => {
    const { row } = await ownForecast(await actorOf(users.vilogia!), YEAR);
    expect(row!.bailleur.slug).toBe("vilogia");
    const commune = await actorOf(users.commune!);
    await expect(ownForecast(commune, YEAR)).rejects.toMatchObject({ kind: "not_found" });
    await expect(assiettePublished(commune, YEAR)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(versionLabelOf(commune, YEAR, 1)).rejects.toMatchObject({ kind: "forbidden" });
    expect(await assiettePublished(await actorOf(users.vilogia!), YEAR)).toBe(true);
    expect(await versionLabelOf(await actorOf(users.vilogia!), YEAR, 1)).toMatch(
      /^assiette de référence 2030, version 1/,
    );
  });

  it("lists the bailleurs to any member, from the partners' directory", async () => {
    const names = (await listBailleurs(await actorOf(users.commune!))).map((b) => b.name);
    expect(names).toContain("Vilogia");
    expect(names).not.toContain("Préfet du Nord (DDTM)");
  });
});
