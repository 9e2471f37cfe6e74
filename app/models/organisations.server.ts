import { asc, eq, ilike, inArray, or, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { ORGANISATION_KINDS, type OrganisationKind, organisations } from "#db/schema";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { recordAudit } from "~/lib/audit.server";
import { DomainError } from "~/lib/domain-error";
import { ORGANISATION_KIND_LABELS } from "~/lib/labels";
import { containing } from "~/lib/sql-search.server";

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

/** Organisations per page of the directory (2 181 at national scale: too many to read, and 980 kB of page). */
export const DIRECTORY_PAGE_SIZE = 50;

/** Text without its accents (NFD parts a letter from them): « armentieres » finds « Armentières ». */
const unaccented = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "");
/** The name without accents, by `translate`: PostgreSQL's `unaccent` extension is not installed. */
const ACCENTED = "àâäáãçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ";
const nameUnaccented = sql`translate(${organisations.name}, ${ACCENTED}, ${unaccented(ACCENTED)})`;

/**
 * One page of the partners' directory, by kind then name: `q` in the name (neither case nor accents count), the
 * INSEE code, the SIREN or the kind's French label. A page past the end is the last one.
 */
export async function directoryPage(actor: Actor, query: { q?: string; page: number }) {
  ensureCan(actor.ability, "read", "Organisation");
  const where = query.q ? matching(query.q) : undefined;
  const total = await db.$count(organisations, where);
  const pageCount = Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  const rows = await db
    .select({
      id: organisations.id,
      kind: organisations.kind,
      name: organisations.name,
      inseeCode: organisations.inseeCode,
      siren: organisations.siren,
    })
    .from(organisations)
    .where(where)
    // The id last: namesakes keep one order from one page to the next.
    .orderBy(asc(organisations.kind), asc(organisations.name), asc(organisations.id))
    .limit(DIRECTORY_PAGE_SIZE)
    .offset((page - 1) * DIRECTORY_PAGE_SIZE);
  return { organisations: rows, total, page, pageCount };
}

function matching(q: string) {
  const text = unaccented(q);
  const pattern = containing(text);
  const kinds = ORGANISATION_KINDS.filter((kind) =>
    unaccented(ORGANISATION_KIND_LABELS[kind]).toLowerCase().includes(text.toLowerCase()),
  );
  return or(
    ilike(nameUnaccented, pattern),
    ilike(organisations.inseeCode, pattern),
    ilike(organisations.siren, pattern),
    kinds.length ? inArray(organisations.kind, kinds) : undefined,
  );
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
