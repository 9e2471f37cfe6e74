import { asc, eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { type OrganisationKind, organisations } from "#db/schema";
import { type AuditActor, recordAudit } from "~/lib/audit.server";
import { httpError } from "~/lib/http.server";

export async function listOrganisations() {
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

export async function getOrganisation(id: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return row;
}

/** MEL admins add a partner (a new bailleur, say); its first admin is then invited from its page. */
export async function createOrganisation(
  actor: AuditActor,
  input: {
    kind: OrganisationKind;
    name: string;
    slug: string;
    inseeCode?: string | null;
    siren?: string | null;
  },
) {
  return db.transaction(async (tx) => {
    const [clash] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, input.slug));
    if (clash)
      throw httpError(409, `L'identifiant « ${input.slug} » est déjà pris : choisissez-en un autre.`);
    if (input.inseeCode) {
      const [commune] = await tx
        .select({ name: organisations.name })
        .from(organisations)
        .where(eq(organisations.inseeCode, input.inseeCode));
      if (commune)
        throw httpError(409, `Le code INSEE ${input.inseeCode} est déjà celui de ${commune.name}.`);
    }
    const [row] = await tx.insert(organisations).values(input).returning();
    await recordAudit(tx, actor, {
      action: "organisation.create",
      subjectType: "Organisation",
      subjectId: row!.id,
      after: input,
    });
    return row!;
  });
}
