import { and, asc, eq, inArray } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import { organisations } from "#db/schema";
import { type ReservataireKind, ratesFor, reservataireRateBp } from "~/domain/rights";
import { negotiatedByBailleur, RESERVATAIRE_KINDS } from "./assiette.server";

export type ContingentPair = {
  reservataire: { id: string; slug: string; name: string; kind: ReservataireKind };
  bailleur: { id: string; slug: string; name: string };
  /** The réservataire's whole rate on this bailleur, in basis points (always above 0 here). */
  rateBp: number;
};

/**
 * Every réservataire × bailleur pair on which the réservataire holds a contingent: the convention cadre's rates
 * (004 lines 158–204: État everywhere, MEL everywhere but Partenord Habitat, SICF on ICF Habitat Nord-Est only)
 * and the rates ALS and the SICF negotiated. The one rule for "has a convention with this bailleur".
 * `only.bailleurId`: the pairs on one bailleur (a bailleur's own obligations, a check on one pair).
 */
export async function contingentPairs(
  tx: Db = db,
  only: { bailleurId?: string } = {},
): Promise<ContingentPair[]> {
  const [reservataires, bailleurs, negotiated] = await Promise.all([
    tx
      .select({
        id: organisations.id,
        slug: organisations.slug,
        name: organisations.name,
        kind: organisations.kind,
      })
      .from(organisations)
      .where(inArray(organisations.kind, RESERVATAIRE_KINDS))
      .orderBy(asc(organisations.name)),
    tx
      .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
      .from(organisations)
      .where(
        and(
          eq(organisations.kind, "bailleur"),
          only.bailleurId ? eq(organisations.id, only.bailleurId) : undefined,
        ),
      )
      .orderBy(asc(organisations.name)),
    negotiatedByBailleur(tx, only.bailleurId),
  ]);
  return reservataires.flatMap((r) => {
    const kind = r.kind as ReservataireKind;
    return bailleurs
      .map((bailleur) => ({
        reservataire: { ...r, kind },
        bailleur,
        rateBp: reservataireRateBp(kind, ratesFor(bailleur.slug, negotiated.get(bailleur.id))),
      }))
      .filter((pair) => pair.rateBp > 0);
  });
}

/** Whether the réservataire holds a contingent on the bailleur (see `contingentPairs`). */
export async function holdsContingentOn(
  reservataireId: string,
  bailleurId: string,
  tx: Db = db,
): Promise<boolean> {
  const pairs = await contingentPairs(tx, { bailleurId });
  return pairs.some((p) => p.reservataire.id === reservataireId);
}
