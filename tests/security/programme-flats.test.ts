import { count } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { programmes } from "#db/schema";
import { action as programmesAction } from "~/routes/api.v1.programmes";
import { type ApiCaller, apiCaller, callApi } from "../helpers/api";

/**
 * A programme's flats are capped per line and in all: 5 000 lines of 2 000 flats were merged into one line of
 * 10 000 000, which the proposed split then placed one by one.
 */
const declaration = (flats: Array<{ typology: string; financing: string; count: number }>) => ({
  communeInsee: "59350",
  name: "Résidence du Plafond",
  address: "1 rue du Plafond, Lille",
  firstLettingDate: "2099-06-15",
  flats: flats.map((f) => ({ ...f, pmr: false })),
});
const programmeCount = async () => (await db.select({ n: count() }).from(programmes))[0]!.n;

let vilogia: ApiCaller;
beforeAll(async () => {
  vilogia = await apiCaller("vilogia", ["gestionnaire"]);
});

describe("a programme's flats", () => {
  it("are refused past 2 000 in all, even in lines of 2 000 or fewer each, with nothing written", async () => {
    const before = await programmeCount();
    const line = { typology: "T3", financing: "plus", count: 2000 };
    const { status, body } = await callApi(vilogia, programmesAction, {
      path: "/programmes",
      body: declaration([line, line, { ...line, typology: "T2", count: 1 }]),
    });
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain(
      "2\u202f000 logements au plus par programme, toutes lignes comprises",
    );
    expect(JSON.stringify(body)).toContain("4\u202f001 indiqués");
    expect(await programmeCount()).toBe(before);
  });

  it("are refused past 2 000 on one line", async () => {
    const { status, body } = await callApi(vilogia, programmesAction, {
      path: "/programmes",
      body: declaration([{ typology: "T3", financing: "plus", count: 2001 }]),
    });
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain("2\u202f000 logements au plus par ligne");
  });

  it("are accepted up to 2 000 in all", async () => {
    const { status } = await callApi(vilogia, programmesAction, {
      path: "/programmes",
      body: declaration([
        { typology: "T3", financing: "plus", count: 1500 },
        { typology: "T2", financing: "plai", count: 500 },
      ]),
    });
    expect(status).toBe(201);
  });
});
