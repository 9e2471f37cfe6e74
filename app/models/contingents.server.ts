import { and, asc, eq, gte, inArray, lte } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import { conventions, negotiatedRates, organisations } from "#db/schema";
import { asSubject } from "#policies/ability";
import { ensureCan } from "#policies/guard.server";
import {
  CONTINGENTS_OF_RESERVATAIRE,
  type Contingent,
  type ReservataireKind,
  ratesFor,
  reservataireRateBp,
  type SignedParts,
} from "~/domain/rights";
import type { Actor } from "~/lib/actor.server";
import { parisYear } from "~/lib/dates";

const RESERVATAIRE_KINDS = Object.keys(CONTINGENTS_OF_RESERVATAIRE) as ReservataireKind[];

/** Where a rate comes from: the convention cadre, a convention both parties signed, or a rate entered before them. */
export type RateSource =
  | { type: "cadre"; conventionId: string | null; title: string }
  | { type: "convention"; conventionId: string; title: string }
  | { type: "legacy"; conventionId: null; title: string };

const CADRE_TITLE = "Convention cadre de gestion en flux des contingents 2024-2026";
const LEGACY_TITLE = "Taux saisi avant les conventions signées (repris pour cette année)";

export type SignedRow = {
  reservataire: { id: string; name: string; kind: ReservataireKind | "commune" };
  /** The rate as stored: for ALS its own contingent, outside the rétrocession. */
  rateBp: number;
  source: RateSource;
};

export type YearRates = {
  bailleur: { id: string; slug: string; name: string };
  /** Each contingent's rate on the bailleur this year (`ratesFor`). */
  rates: Record<Contingent, number>;
  /** The guaranteeing communes' shares of the MEL's 20 % (004 l.178). */
  communes: Array<{ id: string; name: string; rateBp: number; source: RateSource }>;
  /** The document each réservataire's rate comes from. */
  sources: Record<ReservataireKind, RateSource>;
  /** The signed rows beyond the cadre, as stored. */
  signed: SignedRow[];
};

/**
 * The rates of a year on every bailleur (or one): the convention cadre's fixed ones (004 l.158–176) and the rates
 * signed for that year (`negotiated_rates`), with the document each comes from. The one place rates are read: a part
 * of the steps that asked the policy (signed rates, contingent pairs, assiette, conventions, attributions), in their
 * transaction `tx`.
 */
export async function ratesOfYear(
  tx: Db,
  year: number,
  only: { bailleurId?: string } = {},
): Promise<YearRates[]> {
  const [bailleurs, signed, cadres] = await Promise.all([
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
    tx
      .select({
        bailleurId: negotiatedRates.bailleurId,
        reservataireId: negotiatedRates.reservataireId,
        rateBp: negotiatedRates.rateBp,
        conventionId: negotiatedRates.conventionId,
        title: conventions.title,
        name: organisations.name,
        kind: organisations.kind,
      })
      .from(negotiatedRates)
      .innerJoin(organisations, eq(organisations.id, negotiatedRates.reservataireId))
      .leftJoin(conventions, eq(conventions.id, negotiatedRates.conventionId))
      .where(
        and(
          eq(negotiatedRates.year, year),
          only.bailleurId ? eq(negotiatedRates.bailleurId, only.bailleurId) : undefined,
        ),
      )
      .orderBy(asc(organisations.name)),
    tx
      .select({ id: conventions.id, title: conventions.title })
      .from(conventions)
      .where(
        and(eq(conventions.kind, "cadre"), lte(conventions.startYear, year), gte(conventions.endYear, year)),
      ),
  ]);
  const cadre: RateSource = {
    type: "cadre",
    conventionId: cadres[0]?.id ?? null,
    title: cadres[0]?.title ?? CADRE_TITLE,
  };
  return bailleurs.map((bailleur) => {
    const own = signed.filter((s) => s.bailleurId === bailleur.id);
    const rows: SignedRow[] = own.map((s) => ({
      reservataire: { id: s.reservataireId, name: s.name, kind: s.kind as SignedRow["reservataire"]["kind"] },
      rateBp: s.rateBp,
      source:
        s.conventionId && s.title
          ? { type: "convention", conventionId: s.conventionId, title: s.title }
          : { type: "legacy", conventionId: null, title: LEGACY_TITLE },
    }));
    const communes = rows
      .filter((r) => r.reservataire.kind === "commune")
      .map((r) => ({ id: r.reservataire.id, name: r.reservataire.name, rateBp: r.rateBp, source: r.source }));
    const parts: SignedParts = { communes: communes.reduce((sum, c) => sum + c.rateBp, 0) };
    const sources = Object.fromEntries(RESERVATAIRE_KINDS.map((k) => [k, cadre])) as Record<
      ReservataireKind,
      RateSource
    >;
    for (const row of rows) {
      const kind = row.reservataire.kind;
      if (kind === "action_logement" || kind === "sicf" || kind === "departement") {
        parts[kind] = (parts[kind] ?? 0) + row.rateBp;
        sources[kind] = row.source;
      }
    }
    return { bailleur, rates: ratesFor(bailleur.slug, parts), communes, sources, signed: rows };
  });
}

export type ContingentPair = {
  reservataire: { id: string; slug: string; name: string; kind: ReservataireKind };
  bailleur: { id: string; slug: string; name: string };
  /** The réservataire's whole rate on this bailleur this year, in basis points (always above 0 here). */
  rateBp: number;
};

/**
 * Every réservataire × bailleur pair on which the réservataire holds a contingent in `year` (default: this year in
 * Paris): the convention cadre's rates (004 lines 158–204: État everywhere, MEL everywhere but Partenord Habitat)
 * and the rates signed for that year (`ratesOfYear`). The MEL's line keeps the communes' shares carved out of its
 * 20 % (reports show them under it, DESIGN §3). The one rule for "has a convention with this bailleur".
 * `only.bailleurId`: the pairs on one bailleur (a bailleur's own obligations, a check on one pair).
 */
export async function contingentPairs(
  tx: Db = db,
  only: { bailleurId?: string; year?: number } = {},
): Promise<ContingentPair[]> {
  const [reservataires, years] = await Promise.all([
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
    ratesOfYear(tx, only.year ?? parisYear(), only),
  ]);
  return reservataires.flatMap((r) => {
    const kind = r.kind as ReservataireKind;
    return years
      .map((y) => ({
        reservataire: { ...r, kind },
        bailleur: y.bailleur,
        rateBp:
          reservataireRateBp(kind, y.rates) +
          (kind === "metropole" ? y.communes.reduce((sum, c) => sum + c.rateBp, 0) : 0),
      }))
      .filter((pair) => pair.rateBp > 0);
  });
}

/** The policy's view of a rate: its réservataire (or commune) and its bailleur are its parties. */
export const rateSubject = (reservataireId: string, bailleurId: string) => ({
  organisationId: reservataireId,
  partyIds: [reservataireId, bailleurId],
});

/**
 * The « Taux négociés » page and its API: every rate in force on every bailleur for a year — the whole rate of each
 * réservataire (ALS: rétrocession included) and each commune's share — with the document it comes from, as the
 * actor may read it. Read only: a rate changes by a convention both parties sign.
 */
export async function listSignedRates(actor: Actor, year: number) {
  ensureCan(actor.ability, "read", "NegotiatedRate");
  const [years, reservataires] = await Promise.all([
    ratesOfYear(db, year),
    db
      .select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
      .from(organisations)
      .where(inArray(organisations.kind, RESERVATAIRE_KINDS))
      .orderBy(asc(organisations.name)),
  ]);
  return years
    .flatMap((y) => [
      ...reservataires.map((r) => {
        const kind = r.kind as ReservataireKind;
        return {
          reservataire: { id: r.id, name: r.name, kind: r.kind },
          bailleur: y.bailleur,
          rateBp: reservataireRateBp(kind, y.rates),
          source: y.sources[kind],
        };
      }),
      ...y.communes.map((c) => ({
        reservataire: { id: c.id, name: c.name, kind: "commune" as const },
        bailleur: y.bailleur,
        rateBp: c.rateBp,
        source: c.source,
      })),
    ])
    .filter(
      (row) =>
        row.rateBp > 0 &&
        actor.ability.can(
          "read",
          asSubject("NegotiatedRate", rateSubject(row.reservataire.id, row.bailleur.id)),
        ),
    );
}
