import {
  ANNEX_YEARS,
  annexTotals,
  CONVENTION_STATUS_LABELS,
  MANAGEMENT_LABELS,
  othersPct,
} from "~/domain/convention";
import { formatRate } from "~/lib/cycle-validation";
import { formatParis } from "~/lib/dates";
import { pdfBuffer } from "~/lib/pdf.server";
import type { ConventionJson } from "./conventions.server";

/**
 * A convention as a PDF in French: its terms (model of Annex 2, 004 lines 560–806: art. 2 rate, art. 3 publics,
 * art. 4.1 management mode, art. 7 period, Annex 2 financial state) and who signed it, when.
 */
export function conventionPdf(convention: ConventionJson): Promise<Buffer> {
  return pdfBuffer(convention.title, (doc) => {
    const euros = (n: number) => `${n.toLocaleString("fr-FR").replace(/\u202f/g, " ")} €`;
    const row = (label: string, value: string, x2 = 370) => {
      const y = doc.y;
      doc.font("Helvetica").text(label, 56, y, { width: x2 - 70 });
      doc.font("Helvetica-Bold").text(value, x2, y, { width: 540 - x2, align: "right" });
      doc.x = 56;
      doc.moveDown(0.3);
    };
    const heading = (text: string) =>
      doc.moveDown(0.8).font("Helvetica-Bold").fontSize(12).text(text).fontSize(10);

    doc.font("Helvetica-Bold").fontSize(15).text(convention.title, { align: "center" });
    doc.moveDown(0.5).font("Helvetica").fontSize(10);
    doc.text(
      `Statut : ${CONVENTION_STATUS_LABELS[convention.status]}${convention.signedAt ? ` le ${formatParis(convention.signedAt)}` : ""}.`,
      { align: "center" },
    );
    heading("Parties");
    for (const s of convention.signatures) doc.font("Helvetica").text(`• ${s.organisation.name}`);
    heading("Durée");
    doc
      .font("Helvetica")
      .text(
        `Du 1er janvier ${convention.startYear} au 31 décembre ${convention.endYear}, avec une clause de revoyure dans le cadre du bilan annuel de la CIL.`,
      );
    if (convention.kind === "bilaterale") {
      heading("Article 2 — Volume annuel du contingent");
      row(
        "Taux de réservation sur le flux annuel",
        convention.rateBp === null ? "—" : formatRate(convention.rateBp),
      );
      // Art. 2 of the model, 004 l. 585–587: the first year's flux and the rights at 1 January.
      row(
        `Flux d'attributions du bailleur en ${convention.startYear}`,
        convention.fluxVolume === null ? "non renseigné" : `${convention.fluxVolume} attributions`,
      );
      row(
        `Attributions réservées au 1er janvier ${convention.startYear}`,
        convention.initialRights === null ? "non renseigné" : `${convention.initialRights} attributions`,
      );
      doc.text(
        "Les droits de réservation sont réactualisés chaque année par un courrier valant avenant ; sans réaction du bailleur dans un délai de deux mois après son envoi, il est considéré comme validé.",
      );
      if (convention.publics) {
        heading("Article 3 — Publics éligibles");
        row("Publics cibles de la CIA", `${convention.publics.ciaTargetsPct} %`);
        row("  dont demandes DALO-PDALHPD labellisées", `${convention.publics.daloPct} %`);
        row("  dont mutations bloquées/complexes labellisées", `${convention.publics.mbcPct} %`);
        row("Autres demandes, tous quartiles de ressources", `${othersPct(convention.publics)} %`);
      }
      if (convention.management) {
        heading("Article 4 — Organisation");
        doc.text(
          `${MANAGEMENT_LABELS[convention.management]}. Une même attribution ne peut être valorisée sur plusieurs contingents.`,
        );
      }
      const annex = convention.financialAnnex;
      if (annex) {
        heading("Annexe 2 — État des lieux de l'engagement financier de la MEL");
        doc.font("Helvetica-Oblique").text("Année — conventions échues / nouvel encours garanti");
        for (const y of ANNEX_YEARS) {
          const line = annex.years.find((l) => l.year === y);
          row(String(y), `${euros(line?.expiredEur ?? 0)} / ${euros(line?.newGuaranteedEur ?? 0)}`, 250);
        }
        const totals = annexTotals(annex);
        row("Total", `${euros(totals.expiredEur)} / ${euros(totals.newGuaranteedEur)}`, 250);
        row("Taux de garantie des prêts", `${annex.guaranteeRatePct} %`);
        row(
          "Subventions PLAI (total / payé)",
          `${euros(annex.subsidies.plai.totalEur)} / ${euros(annex.subsidies.plai.paidEur)}`,
          250,
        );
        row(
          "Subventions PLUS (total / payé)",
          `${euros(annex.subsidies.plus.totalEur)} / ${euros(annex.subsidies.plus.paidEur)}`,
          250,
        );
        row("Total général", `${euros(totals.subsidiesTotalEur)} / ${euros(totals.subsidiesPaidEur)}`, 250);
      }
    }
    heading("Signatures");
    for (const s of convention.signatures)
      doc
        .font("Helvetica")
        .text(
          `${s.organisation.name} : ${s.signedAt ? `signé par ${s.signerName} le ${formatParis(s.signedAt)}` : "non signé"}`,
        );
  });
}
