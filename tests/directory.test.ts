import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { ORGANISATION_KINDS, organisations } from "#db/schema";
import type { Actor } from "~/lib/actor.server";
import { DIRECTORY_PAGE_SIZE, directoryPage, listOrganisations } from "~/models/organisations.server";
import { loader } from "~/routes/_app.annuaire";
import { browserOf } from "./helpers/cycle";
import { actorOf, createUser } from "./helpers/fixtures";

// Issue 17: the directory is searched and paged in SQL (2 181 organisations at national scale), not in the browser.

let reader: Actor;
beforeAll(async () => {
  reader = await actorOf(await createUser("vilogia", ["lecteur"]));
  await db.insert(organisations).values([
    { kind: "bailleur", slug: "cent-pour-cent", name: "Habitat 100% solidaire" },
    { kind: "bailleur", slug: "souligne", name: "Logis_Nord" },
    { kind: "bailleur", slug: "oblique", name: "Toit\\Partagé" },
  ]);
});

const names = async (q: string) =>
  (await directoryPage(reader, { q, page: 1 })).organisations.map((o) => o.name).sort();

describe("the directory's search", () => {
  it("finds part of a name whatever the case and the accents, an INSEE code, a SIREN", async () => {
    expect(await names("ROUBAIX")).toEqual(["Roubaix"]);
    expect(await names("armentieres")).toEqual(["Armentières", "La Chapelle-d'Armentières"]);
    expect(await names("DEÛLE")).toEqual(["Deûlémont", "Quesnoy-sur-Deûle"]);
    expect(await names("59350")).toEqual(["Lille"]);
    expect(await names("215905126")).toEqual(["Roubaix"]);
    expect(await names("introuvable")).toEqual([]);
  });

  it("finds the organisations of a kind by its French label", async () => {
    const bailleurs = await directoryPage(reader, { q: "bailleur", page: 1 });
    expect(bailleurs.total).toBe(19 + 3);
    expect(bailleurs.organisations.every((o) => o.kind === "bailleur")).toBe(true);
    // « etat » is État, the label, not a name.
    expect(await names("etat")).toEqual(["Préfet du Nord (DDTM)"]);
  });

  it("takes %, _ and \\ literally", async () => {
    expect(await names("100%")).toEqual(["Habitat 100% solidaire"]);
    expect(await names("%")).toEqual(["Habitat 100% solidaire"]);
    expect(await names("_")).toEqual(["Logis_Nord"]);
    expect(await names("\\")).toEqual(["Toit\\Partagé"]);
  });
});

describe("the directory's pages", () => {
  it("pages 50 organisations at a time, by kind then name; past the end, the last page", async () => {
    const all = await listOrganisations(reader);
    expect(all.length).toBeGreaterThan(2 * DIRECTORY_PAGE_SIZE);
    const pageCount = Math.ceil(all.length / DIRECTORY_PAGE_SIZE);
    const ids = (rows: Array<{ id: string }>) => rows.map((o) => o.id);
    for (let page = 1; page <= pageCount; page++) {
      const shown = await directoryPage(reader, { page });
      expect(shown).toMatchObject({ total: all.length, page, pageCount });
      expect(ids(shown.organisations)).toEqual(
        ids(all.slice((page - 1) * DIRECTORY_PAGE_SIZE, page * DIRECTORY_PAGE_SIZE)),
      );
    }
    const kinds = (await directoryPage(reader, { page: 1 })).organisations.map((o) =>
      ORGANISATION_KINDS.indexOf(o.kind),
    );
    expect(kinds).toEqual([...kinds].sort((a, b) => a - b));
    expect(await directoryPage(reader, { page: 1000 })).toMatchObject({ page: pageCount, pageCount });
    expect(await directoryPage(reader, { q: "introuvable", page: 3 })).toMatchObject({
      organisations: [],
      total: 0,
      page: 1,
      pageCount: 1,
    });
  });

  it("reads the search and the page from the address; a page that is not one is refused in French", async () => {
    const browser = await browserOf(await createUser("commune-59350", ["lecteur"]));
    const second = await browser.get(loader, "/annuaire?q=bailleur&page=2");
    expect(second).toMatchObject({ status: 200, body: { q: "bailleur", total: 22, page: 1, pageCount: 1 } });
    const lille = await browser.get(loader, "/annuaire?q=+lille+");
    expect(lille.body).toMatchObject({ q: "lille", total: 5 });
    expect(await browser.get(loader, "/annuaire?page=")).toMatchObject({ status: 200, body: { page: 1 } });
    for (const page of ["abc", "-3", "0", "1.5", "1e400"]) {
      const refused = await browser.get(loader, `/annuaire?page=${page}`);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(
        "Page invalide : indiquez un numéro de page à partir de 1.",
      );
    }
    expect((await browser.get(loader, "/annuaire?page=2")).body).toMatchObject({ page: 2 });
  });
});
