import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { seedDemoWorld } from "#seed/demo/world.server";
import { seedDemoUsers, seedOrganisations } from "#seed/seed.server";

let result: Awaited<ReturnType<typeof seedDemoWorld>>;

beforeAll(async () => {
  await seedOrganisations(db);
  await seedDemoUsers(db);
  result = await seedDemoWorld(db);
}, 120_000);

describe("demo world", () => {
  it("is made", () => {
    console.log(result);
    expect(result.created).toBe(true);
  });
});
