import { count } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { attributions, comites, cribSessions, forecasts, programmes } from "#db/schema";
import { ATTRIBUTION_COLUMNS } from "~/lib/attribution-schemas";
import { action as pageAction } from "~/routes/_app.assiette.$year";
import { action as cribPageAction } from "~/routes/_app.crib._index";
import { loader as journalLoader } from "~/routes/_app.journal";
import { loader as outboxLoader } from "~/routes/_app.plateforme.courriels";
import { action as batchAction, loader as listLoader } from "~/routes/api.v1.attributions";
import { action as importAction } from "~/routes/api.v1.attributions.import";
import { action as comitesAction } from "~/routes/api.v1.comites";
import { action as cribSessionsAction } from "~/routes/api.v1.crib.sessions";
import { action as forecastAction } from "~/routes/api.v1.forecasts.$year";
import { action as programmesAction } from "~/routes/api.v1.programmes";
import { type ApiCaller, apiCaller, callApi } from "../helpers/api";
import { browserOf } from "../helpers/cycle";
import { createUser } from "../helpers/fixtures";

/**
 * Impossible days (2026-02-30, 2025-13-01) and numbers past the database's integer (2 147 483 647) are refused with
 * a French 400 naming the field (the line and column of a file), before the database sees them: never a 500, nothing
 * written.
 */

const YEAR = 2027;
let vilogia: ApiCaller;
let mel: ApiCaller;

beforeAll(async () => {
  vilogia = await apiCaller("vilogia", ["gestionnaire"]);
  mel = await apiCaller("mel", ["admin"]);
});

const rows = async (
  table: typeof attributions | typeof forecasts | typeof cribSessions | typeof comites | typeof programmes,
) => Number((await db.select({ n: count() }).from(table))[0]!.n);

/** The template's example row, with some cells replaced, as a CSV line. */
const csvLine = (over: Record<string, string>) =>
  ATTRIBUTION_COLUMNS.map((c) => over[c.field] ?? c.example).join(";");
const importCsv = (lines: string[]) =>
  callApi(vilogia, importAction, {
    path: "/attributions/import",
    init: {
      method: "POST",
      body: [ATTRIBUTION_COLUMNS.map((c) => c.header).join(";"), ...lines].join("\r\n"),
    },
  });

describe("an import with an impossible date or a huge number", () => {
  it("names the line and column of 2026-02-30 and of 99999999999, and writes nothing", async () => {
    const before = await rows(attributions);
    const answer = await importCsv([
      csvLine({ numeroUnique: "059 2401 00001 A", leaseDate: "2025-02-03" }),
      csvLine({ numeroUnique: "059 2401 00002 A", leaseDate: "2026-02-30" }),
      csvLine({ numeroUnique: "059 2401 00003 A", refusalsAfterCaleol: "99999999999" }),
      csvLine({ numeroUnique: "059 2401 00004 A", leaseDate: "30/02/2025" }),
    ]);
    expect(answer.status).toBe(400);
    const errors = answer.body.errors as unknown as Array<{ line: number; column: string; message: string }>;
    expect(errors).toEqual([
      expect.objectContaining({
        line: 3,
        column: "Date du bail",
        message: expect.stringMatching(
          /^ligne 3, colonne « Date du bail » : Ce jour n'existe pas au calendrier/,
        ),
      }),
      expect.objectContaining({
        line: 4,
        column: "Refus après courrier CALEOL",
        message: expect.stringMatching(
          /^ligne 4, colonne « Refus après courrier CALEOL » : Refus .* de 0 à 99/,
        ),
      }),
      expect.objectContaining({
        line: 5,
        message: expect.stringMatching(/^ligne 5, colonne « Date du bail » : Ce jour n'existe pas/),
      }),
    ]);
    expect(await rows(attributions)).toBe(before);
  });
});

describe("API bodies with an impossible date or a number past the database's integer", () => {
  it("answers a French 400 naming the field, and writes nothing", async () => {
    const example = Object.fromEntries(ATTRIBUTION_COLUMNS.map((c) => [c.field, c.example]));
    const batch = await callApi(vilogia, batchAction, {
      path: "/attributions",
      body: { attributions: [{ ...example, bailleurSlug: "vilogia", leaseDate: "2025-13-01" }] },
    });
    expect(batch.status).toBe(400);
    expect(batch.body.errors).toEqual([
      expect.objectContaining({
        index: 0,
        field: "leaseDate",
        message: expect.stringMatching(/n'existe pas/),
      }),
    ]);

    const forecast = await callApi(vilogia, forecastAction, {
      path: `/forecasts/${YEAR}`,
      method: "PUT",
      body: { a: 2147483648, b: 0, c: 0, d: 0, e: 0, f: 0, g: 0 },
      params: { year: String(YEAR) },
    });
    expect(forecast.status).toBe(400);
    expect((forecast.body.errors as unknown as Record<string, string>).a).toMatch(/^\(A\) Total/);

    const programme = await callApi(vilogia, programmesAction, {
      path: "/programmes",
      body: {
        communeInsee: "59350",
        name: "Résidence des Tisserands",
        address: "12 rue des Tisserands",
        firstLettingDate: "2026-02-30",
        flats: [{ typology: "T3", financing: "plus", pmr: false, count: 4 }],
      },
    });
    expect(programme.status).toBe(400);
    expect((programme.body.errors as unknown as Record<string, string>).firstLettingDate).toMatch(
      /^Ce jour n'existe pas au calendrier/,
    );

    const crib = await callApi(mel, cribSessionsAction, {
      path: "/crib/sessions",
      body: { heldOn: "2026-02-29" },
    });
    expect(crib.status).toBe(400);
    expect((crib.body.errors as unknown as Record<string, string>).heldOn).toMatch(/n'existe pas/);

    const comite = await callApi(mel, comitesAction, {
      path: "/comites",
      body: { heldOn: "2026-04-31", place: "Lille", agenda: "Bilan annuel", bailleurs: [] },
    });
    expect(comite.status).toBe(400);
    expect((comite.body.errors as unknown as Record<string, string>).heldOn).toMatch(/n'existe pas/);

    for (const table of [attributions, forecasts, programmes, cribSessions, comites])
      expect(await rows(table)).toBe(0);
  });

  it("refuses an attributions cursor holding an impossible date as a French 400", async () => {
    const cursor = Buffer.from("2026-02-30|00000000-0000-4000-8000-000000000000").toString("base64url");
    const listed = await callApi(vilogia, listLoader, { path: `/attributions?cursor=${cursor}` });
    expect(listed.status).toBe(400);
    expect(listed.body.message).toMatch(/^Curseur de page invalide/);
  });
});

describe("forms with an impossible date or a number past the database's integer", () => {
  it("show the field's French message (400) and write nothing", async () => {
    const bailleur = await browserOf(await createUser("vilogia", ["signataire"]));
    const forecast = await bailleur.post(
      pageAction,
      `/assiette/${YEAR}`,
      { intent: "save", a: "99999999999", b: "0", c: "0", d: "0", e: "0", f: "0", g: "0" },
      { year: String(YEAR) },
    );
    expect(forecast.status).toBe(400);
    expect((forecast.body.errors as Record<string, string>).a).toMatch(
      /^Nombre trop grand \(2 147 483 647 au plus\)/,
    );

    const melPage = await browserOf(await createUser("mel", ["admin"]));
    const crib = await melPage.post(cribPageAction, "/crib", { heldOn: "2026-02-30" });
    expect(crib.status).toBe(400);
    expect((crib.body.errors as Record<string, string>).heldOn).toMatch(
      /^Ce jour n'existe pas au calendrier/,
    );
    expect(await rows(forecasts)).toBe(0);
    expect(await rows(cribSessions)).toBe(0);
  });
});

describe("page cursors that are not a row's id", () => {
  it("show the first page of the journal and of the outbox instead of an error", async () => {
    const admin = await browserOf(await createUser("mel", ["admin"]));
    for (const cursor of ["1e30", "0.5", "-3", "99999999999999999999"]) {
      expect((await admin.get(journalLoader, `/journal?avant=${cursor}`)).status).toBe(200);
      expect((await admin.get(outboxLoader, `/plateforme/courriels?avant=${cursor}`)).status).toBe(200);
    }
  });
});

/** A small random generator (mulberry32): a failing run is replayed with `FUZZ_SEED=<seed>`. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("fuzzing the API's date and integer fields", () => {
  it("never answers 500, whatever day or number is sent", async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.info(`dates-and-numbers fuzz: FUZZ_SEED=${seed}`);
    const next = random(seed);
    const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
    const digits = (n: number) => String(Math.floor(next() * 10 ** n)).padStart(n, "0");
    const day = () =>
      pick([
        () => `${digits(4)}-${digits(2)}-${digits(2)}`,
        () => `20${digits(2)}-${pick(["02", "04", "13", "00"])}-${pick(["29", "30", "31", "00", "32"])}`,
        () => `${digits(2)}/${digits(2)}/${digits(4)}`,
        () => pick(["", " ", "2026-2-3", "0000-01-01", "9999-12-31", "2025-06-15T00:00:00Z", "demain"]),
      ])();
    const number = () =>
      pick([
        () => Math.floor(next() * 2 ** 40) * pick([1, -1]),
        () => 2 ** 31 + pick([-1, 0, 1]),
        () => -(2 ** 31) + pick([-1, 0, 1]),
        () => pick([Number.MAX_SAFE_INTEGER, 1e300, 0.5, -0, "12", "1e10", null, true]),
      ])();
    const example = Object.fromEntries(ATTRIBUTION_COLUMNS.map((c) => [c.field, c.example]));
    for (let round = 0; round < 25; round++) {
      const sent = [
        await callApi(vilogia, batchAction, {
          path: "/attributions",
          body: {
            attributions: [
              {
                ...example,
                numeroUnique: `059 2401 ${String(20000 + round)} A`,
                bailleurSlug: "vilogia",
                leaseDate: day(),
                incomeQuartile: number(),
                refusalsAfterCaleol: number(),
              },
            ],
          },
        }),
        await callApi(vilogia, forecastAction, {
          path: `/forecasts/${YEAR}`,
          method: "PUT",
          body: { a: number(), b: number(), c: number(), d: 0, e: 0, f: 0, g: number(), submit: false },
          params: { year: String(YEAR) },
        }),
        await callApi(vilogia, programmesAction, {
          path: "/programmes",
          body: {
            communeInsee: "59350",
            name: "Résidence des Tisserands",
            address: "12 rue des Tisserands",
            firstLettingDate: day(),
            flats: [{ typology: "T3", financing: "plus", pmr: false, count: number() }],
          },
        }),
        await callApi(mel, cribSessionsAction, { path: "/crib/sessions", body: { heldOn: day() } }),
      ];
      for (const answer of sent) {
        expect(answer.status, `FUZZ_SEED=${seed}, round ${round}: ${answer.body.message}`).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.body.message).toMatch(/[a-zé]/);
      }
    }
  });
});
