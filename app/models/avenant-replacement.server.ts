import { and, eq, notInArray } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { avenants, organisations } from "#db/schema";
import { type ReservataireKind, reservataireRateBp } from "~/domain/rights";
import { type AuditActor, recordAudits } from "~/lib/audit.server";
import type { AnnexRow, AssietteVersion } from "./assiette.server";

/**
 * After a rectificatif (DESIGN §3), each current letter of the year whose figures (H, rate, rights) differ from the
 * new version is replaced by a new draft from that version: the réservataire's signataire sends it, which starts a
 * new two-month period (model convention art. 2, 004 l.593). The old letter keeps its text, shows « Remplacé » and
 * links to the new one (`replacedBy`). Letters whose figures do not change keep their course.
 */
export async function replaceChangedLetters(
  tx: Db,
  actor: AuditActor,
  input: { version: AssietteVersion; rows: AnnexRow[]; now: Date },
) {
  const { year, version } = input.version;
  const letters = await tx
    .select({ letter: avenants, kind: organisations.kind })
    .from(avenants)
    .innerJoin(organisations, eq(organisations.id, avenants.reservataireId))
    .where(and(eq(avenants.year, year), notInArray(avenants.status, ["withdrawn", "replaced"])))
    .for("update", { of: avenants });
  const rowOf = new Map(input.rows.map((r) => [r.bailleur.id, r]));
  const replaced: Array<{ from: string; to: string; bailleurId: string; reservataireId: string }> = [];
  for (const { letter, kind } of letters) {
    const row = rowOf.get(letter.bailleurId);
    if (!row?.forecast || !row.rights) continue;
    const rateBp = reservataireRateBp(kind as ReservataireKind, row.rates);
    const fluxH = row.forecast.h;
    // The new version's right as its annex gives it (one rounding per right, never beyond H).
    const rights = row.reservataires[kind as ReservataireKind].rounded!;
    if (rateBp === 0 || (letter.fluxH === fluxH && letter.rateBp === rateBp && letter.rights === rights))
      continue;
    // The old letter leaves the « one current letter per pair and year » index before its successor enters it.
    await tx
      .update(avenants)
      .set({ status: "replaced", updatedAt: input.now })
      .where(eq(avenants.id, letter.id));
    const [next] = await tx
      .insert(avenants)
      .values({
        reservataireId: letter.reservataireId,
        bailleurId: letter.bailleurId,
        year,
        rateBp,
        fluxH,
        rights,
        assietteVersion: version,
      })
      .returning({ id: avenants.id });
    await tx.update(avenants).set({ replacedBy: next!.id }).where(eq(avenants.id, letter.id));
    replaced.push({
      from: letter.id,
      to: next!.id,
      bailleurId: letter.bailleurId,
      reservataireId: letter.reservataireId,
    });
    await recordAudits(tx, actor, [
      {
        action: "avenant.replace",
        subjectType: "Avenant",
        subjectId: letter.id,
        before: { status: letter.status, fluxH: letter.fluxH, rateBp: letter.rateBp, rights: letter.rights },
        after: { status: "replaced", replacedBy: next!.id, assietteVersion: version },
      },
      {
        action: "avenant.generate",
        subjectType: "Avenant",
        subjectId: next!.id,
        after: {
          year,
          bailleurId: letter.bailleurId,
          rateBp,
          fluxH,
          rights,
          assietteVersion: version,
          replaces: letter.id,
        },
      },
    ]);
  }
  return replaced;
}
