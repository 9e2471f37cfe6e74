import { asc, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { type OrganisationKind, organisations } from "#db/schema";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { recordAudit } from "~/lib/audit.server";
import { DomainError } from "~/lib/domain-error";

/** The partners' directory, by kind then name. */
export async function listOrganisations(actor: Actor) {
  ensureCan(actor.ability, "read", "Organisation");
  return db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      kind: organisations.kind,
      name: organisations.name,
      inseeCode: organisations.inseeCode,
      siren: organisations.siren,
    })
    .from(organisations)
    .orderBy(asc(organisations.kind), asc(organisations.name));
}

export async function getOrganisation(actor: Actor, id: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return ensureCanOn(actor.ability, "read", "Organisation", row, "Cette organisation");
}

export const PLATFORM_ONLY = "L'administration de la plateforme est réservée aux administrateurs de la MEL.";

/** MEL admins add a partner (a new bailleur, say); its first admin is then invited from its page. */
export async function createOrganisation(
  actor: Actor,
  input: {
    kind: OrganisationKind;
    name: string;
    slug: string;
    inseeCode?: string | null;
    siren?: string | null;
  },
) {
  ensureCan(actor.ability, "create", "Organisation", PLATFORM_ONLY);
  return db.transaction(async (tx) => {
    const [clash] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, input.slug));
    if (clash)
      throw new DomainError(
        "conflict",
        `L'identifiant « ${input.slug} » est déjà pris : choisissez-en un autre.`,
      );
    if (input.inseeCode) {
      const [commune] = await tx
        .select({ name: organisations.name })
        .from(organisations)
        .where(eq(organisations.inseeCode, input.inseeCode));
      if (commune)
        throw new DomainError(
          "conflict",
          `Le code INSEE ${input.inseeCode} est déjà celui de ${commune.name}.`,
        );
    }
    const [row] = await tx.insert(organisations).values(input).returning();
    await recordAudit(tx, auditActorOf(actor), {
      action: "organisation.create",
      subjectType: "Organisation",
      subjectId: row!.id,
      after: input,
    });
    return row!;
  });
}
