import { CONTEST_PART_LABELS } from "~/domain/avenant-dispute";
import { DEADLINE_NOT_EXTENDED, deadlineSentence, frenchDay } from "~/domain/deadline";
import { ROUNDING_RULE } from "~/domain/rights";
import { formatRate } from "~/lib/cycle-validation";
import { formatParis } from "~/lib/dates";
import { de } from "~/lib/french";
import { pdfBuffer } from "~/lib/pdf.server";
import { type AvenantJson, statusLine } from "./avenants.server";

type Letter = AvenantJson;

/**
 * The courrier valant avenant as a PDF in French (004 line 154; model convention art. 2, line 593): flux, rate,
 * rights of the year and the date on which it will be deemed accepted without reaction.
 */
export function avenantPdf(
  letter: Letter & { assietteLabel: string | null },
  now = new Date(),
): Promise<Buffer> {
  return pdfBuffer(`Courrier valant avenant ${letter.year}`, (doc) => {
    const number = (n: number) =>
      n.toLocaleString("fr-FR", { maximumFractionDigits: 3 }).replace(/\u202f/g, " ");

    doc.font("Helvetica-Bold").fontSize(11).text(letter.reservataire.name);
    doc
      .moveDown(0.5)
      .font("Helvetica")
      .text(`À l'attention du signataire ${de(letter.bailleur.name)}`, { align: "right" });
    doc.text(`Lille, le ${frenchDay(letter.sentAt ?? now)}`, { align: "right" });
    doc.moveDown(1.5);
    doc
      .font("Helvetica-Bold")
      .fontSize(13)
      .text(
        `Objet : courrier valant avenant ${letter.year} à la convention bilatérale de réservation en flux`,
      );
    if (!letter.sentAt) doc.font("Helvetica-Oblique").fontSize(10).text("Projet non envoyé (brouillon).");
    if (letter.replacedBy)
      doc
        .font("Helvetica-Bold")
        .fontSize(10)
        .text("Remplacé : un rectificatif de l'assiette a changé ces droits ; voir le nouveau courrier.");
    doc.moveDown();
    doc.font("Helvetica").fontSize(11);
    doc.text("Madame, Monsieur,");
    doc.moveDown(0.5);
    doc.text(
      `En application de la convention cadre de gestion en flux des contingents 2024-2026 de la Métropole Européenne de Lille et de notre convention bilatérale (article 2), nous vous notifions les droits de réservation ${de(letter.reservataire.name)} sur votre patrimoine pour l'année ${letter.year}, calculés sur l'assiette de référence du flux publiée par les services de l'État.`,
      { align: "justify" },
    );
    // Every figure names the version it comes from (DESIGN §3).
    if (letter.assietteLabel) doc.moveDown(0.5).text(`Source : ${letter.assietteLabel}.`);
    doc.moveDown();
    const rows: Array<[string, string]> = [
      ["Assiette de référence du flux réservable (H)", `${number(letter.fluxH)} attributions`],
      ["Taux", formatRate(letter.rateBp)],
      ["Droits exacts (taux × H)", number(letter.rights.exact)],
      ["Droits de l'année", `${number(letter.rights.rounded)} attributions`],
    ];
    for (const [label, value] of rows) {
      const y = doc.y;
      doc.font("Helvetica").text(label, 56, y, { width: 300 });
      doc.font("Helvetica-Bold").text(value, 370, y, { width: 170, align: "right" });
      doc.moveDown(0.4);
    }
    doc.x = 56;
    doc.moveDown(0.5).font("Helvetica-Oblique").fontSize(9).text(ROUNDING_RULE);
    doc.moveDown().font("Helvetica").fontSize(11);
    doc.text(
      letter.deadline
        ? `Sans réaction de votre part dans un délai de deux mois après l'envoi de ce courrier (${deadlineSentence(letter.deadline.lastDay)}), il sera réputé accepté. Votre signataire peut l'accepter ou le contester, en motivant sa contestation, sur le portail partenaires d'ici là.`
        : "Sans réaction de votre part dans un délai de deux mois après son envoi, ce courrier sera réputé accepté ; la date exacte figurera sur le courrier envoyé.",
      { align: "justify" },
    );
    doc.moveDown(0.5).text(DEADLINE_NOT_EXTENDED, { align: "justify" });
    doc.moveDown();
    doc.text("Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.");
    doc.moveDown(2);
    doc
      .fontSize(9)
      .fillColor("#555")
      .text(`Statut : ${statusLine(letter)} — version ${letter.version}.`);
    for (const m of letter.dispute.thread)
      doc.text(
        `${m.kind === "contest" ? `Contestation (${CONTEST_PART_LABELS[m.part]})` : `${m.kind === "revise" ? "Révision" : "Maintien"} (${CONTEST_PART_LABELS[m.part]})`} par ${m.author.name} (${m.organisation.name}), le ${frenchDay(m.at)} à ${formatParis(m.at, "HH:mm")} : ${m.text}`,
      );
  });
}
