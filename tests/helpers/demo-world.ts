import { count, eq, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { attributions, avenants, emailOutbox, organisations, signalements } from "#db/schema";
import { annexRows } from "~/models/assiette.server";

/**
 * The demo world's figures, as a partner would compare them: H and rights by year, attributions by contingent and by
 * commune, letters and signalements by status, mails in the outbox. Keyed by slug (ids differ from run to run).
 */
export async function demoFigures(years: number[]) {
  const byGroup = async <T extends Record<string, unknown>>(rows: Promise<T[]>) =>
    (await rows).map((row) => Object.values(row).join("|")).sort();
  const annex = await Promise.all(
    years.map(async (year) =>
      (await annexRows(db, year)).map((r) => ({
        bailleur: r.bailleur.slug,
        forecast: r.forecast && { ...r.forecast, id: undefined, submittedAt: undefined },
        reservataires: Object.values(r.reservataires).map((x) => x.rounded),
        communes: r.communes.map((c) => c.rounded),
      })),
    ),
  );
  return {
    annex,
    attributions: await byGroup(
      db
        .select({
          bailleur: organisations.slug,
          contingent: attributions.contingent,
          commune: attributions.communeInsee,
          month: sql<string>`to_char(${attributions.leaseDate}, 'YYYY-MM')`,
          n: count(),
        })
        .from(attributions)
        .innerJoin(organisations, eq(organisations.id, attributions.bailleurId))
        .groupBy(organisations.slug, attributions.contingent, attributions.communeInsee, sql`4`),
    ),
    avenants: await byGroup(
      db
        .select({ year: avenants.year, status: avenants.status, rights: avenants.rights, n: count() })
        .from(avenants)
        .groupBy(avenants.year, avenants.status, avenants.rights),
    ),
    signalements: await byGroup(
      db.select({ status: signalements.status, n: count() }).from(signalements).groupBy(signalements.status),
    ),
    mails: await byGroup(
      db.select({ subject: emailOutbox.subject, n: count() }).from(emailOutbox).groupBy(emailOutbox.subject),
    ),
  };
}
