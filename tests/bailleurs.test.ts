import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { organisations } from "#db/schema";
import { bailleurChoices } from "~/models/bailleurs.server";
import { actorOf, createUser } from "./helpers/fixtures";

describe("bailleurChoices", () => {
  it("offers the bailleurs of the directory, and no other partner, to a member of any kind", async () => {
    for (const slug of ["commune-59350", "mel", "vilogia"]) {
      const actor = await actorOf(await createUser(slug, ["lecteur"]));
      const bailleurSlugs = (await db.select().from(organisations))
        .filter((o) => o.kind === "bailleur")
        .map((o) => o.slug)
        .sort();
      expect(bailleurSlugs.length).toBeGreaterThan(1);
      expect((await bailleurChoices(actor)).map((b) => b.slug).sort(), slug).toEqual(bailleurSlugs);
    }
  });
});
