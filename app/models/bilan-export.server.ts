import { z } from "zod";
import { contingentSource } from "~/domain/assiette-version";
import { BILAN_DIMENSIONS } from "~/domain/bilan";
import type { Actor } from "~/lib/actor.server";
import { formatParis } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import { pdfBuffer } from "~/lib/pdf.server";
import { reportYearField } from "~/lib/report-schemas";
import { type SheetRow, workbookXlsx } from "~/lib/spreadsheet.server";
import { fieldErrors } from "~/lib/validation";
import { versionInForce } from "./assiette.server";
import { type ReadableBilan, readableBilan } from "./bilans.server";

/** A bilan annuel (decree 2020-145) as XLSX (one sheet) and PDF (pdfkit, as the avenant letters). */

const title = (b: ReadableBilan) => `Bilan annuel ${b.year} — ${b.bailleur.name} pour ${b.reservataire.name}`;
/** Decree 2020-145: the flats proposed beside those attributed (declared when sent; unknown on a draft). */
const proposed = (b: ReadableBilan) => (b.proposed === null ? "non déclaré (projet)" : b.proposed);
const status = (b: ReadableBilan) =>
  b.sentAt ? `Transmis le ${formatParis(b.sentAt, "d MMMM yyyy")}` : "Projet non transmis";
/** DESIGN §3: every figure names the assiette version it comes from (for a sent bilan, the one in force then). */
type Source = { assiette: Awaited<ReturnType<typeof versionInForce>> };
const source = (b: ReadableBilan, { assiette }: Source) => contingentSource(b.year, assiette);

export function bilanXlsx(bilan: ReadableBilan, from: Source): Promise<Buffer> {
  const rows: SheetRow[] = [
    { bold: [title(bilan)] },
    [status(bilan)],
    ["Logements attribués sur le contingent", bilan.figures.total],
    ["Logements proposés au réservataire", proposed(bilan)],
  ];
  for (const dimension of BILAN_DIMENSIONS)
    rows.push(
      [],
      { bold: [dimension.label, "Logements attribués"] },
      ...(bilan.figures.by[dimension.key] ?? []).map((value) => [value.label, value.count]),
    );
  rows.push([], [source(bilan, from)]);
  return workbookXlsx([{ name: `Bilan ${bilan.year}`, rows, widths: [40, 20] }]);
}

export function bilanPdf(bilan: ReadableBilan, from: Source): Promise<Buffer> {
  return pdfBuffer(title(bilan), (doc) => {
    doc.font("Helvetica-Bold").fontSize(13).text(title(bilan));
    doc.font("Helvetica").fontSize(10).text(status(bilan));
    doc
      .moveDown(0.5)
      .text(
        "Décret du 20 février 2020 relatif à la gestion en flux : bilan des logements proposés et des logements attribués au cours de l'année, par réservataire, typologie, type de financement, localisation en et hors QPV, commune et période de construction.",
        { align: "justify" },
      );
    doc
      .moveDown()
      .font("Helvetica-Bold")
      .fontSize(11)
      .text(`Logements proposés : ${proposed(bilan)}`);
    doc.text(`Logements attribués : ${bilan.figures.total}`);
    for (const dimension of BILAN_DIMENSIONS) {
      doc.moveDown(0.6).font("Helvetica-Bold").fontSize(11).text(dimension.label, 56);
      for (const value of bilan.figures.by[dimension.key] ?? []) {
        const y = doc.y;
        doc.font("Helvetica").fontSize(10).text(value.label, 56, y, { width: 360 });
        doc.text(String(value.count), 430, y, { width: 110, align: "right" });
      }
    }
    doc.moveDown().font("Helvetica").fontSize(10).text(source(bilan, from), 56);
  });
}

const querySchema = z.object({
  bailleur: z.uuid({ error: "Bailleur inconnu." }),
  reservataire: z.uuid({ error: "Réservataire inconnu." }),
  year: reportYearField,
});

/** The download routes: `?bailleur=&reservataire=&year=`, same policy as the page. */
export async function bilanDownload(actor: Actor, query: URLSearchParams, format: "xlsx" | "pdf") {
  const parsed = querySchema.safeParse(Object.fromEntries(query));
  if (!parsed.success) throw new DomainError("invalid", "Paramètres invalides.", fieldErrors(parsed.error));
  const { bailleur, reservataire, year } = parsed.data;
  const bilan = await readableBilan(actor, { bailleurId: bailleur, reservataireId: reservataire, year });
  const from = { assiette: await versionInForce(year, bilan.sentAt ?? new Date()) };
  const body = format === "xlsx" ? await bilanXlsx(bilan, from) : await bilanPdf(bilan, from);
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type":
        format === "xlsx"
          ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          : "application/pdf",
      // Named with the parties and the year: a réservataire downloads one per bailleur.
      "content-disposition": `attachment; filename="bilan-${year}-${bilan.bailleur.slug}-${bilan.reservataire.slug}.${format}"`,
    },
  });
}
