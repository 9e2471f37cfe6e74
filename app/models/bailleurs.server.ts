import { asc, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { organisations } from "#db/schema";
import { ensureCan } from "#policies/guard.server";
import type { Actor } from "~/lib/actor.server";

/**
 * The bailleurs a form offers (a signalement's addressees, a comité's guests, a list's filter): the partners'
 * directory, which the policy shows to every member.
 */
export async function bailleurChoices(actor: Actor) {
  ensureCan(actor.ability, "read", "Organisation");
  return db
    .select({ slug: organisations.slug, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.kind, "bailleur"))
    .orderBy(asc(organisations.name));
}
