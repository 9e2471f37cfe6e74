/**
 * A second, separate run of the demo world for the determinism test (tests/demo-world.test.ts): on a new in-memory
 * database, at the instant DEMO_NOW; prints the world's figures (one line of JSON).
 */
import { closeDatabase, db, migrateDatabase } from "#db/client.server";
import { seedDemoWorld } from "#seed/demo/world.server";
import { seedDemoUsers, seedOrganisations } from "#seed/seed.server";
import { demoFigures } from "./demo-world";

const now = new Date(process.env.DEMO_NOW!);
await migrateDatabase();
await seedOrganisations(db);
await seedDemoUsers(db);
const world = await seedDemoWorld(db, now);
const year = Number(world.day.slice(0, 4));
console.log(JSON.stringify(await demoFigures([year - 1, year])));
await closeDatabase();
