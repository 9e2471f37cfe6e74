import { de, punctuate } from "~/lib/french";

/**
 * A rendered e-mail, ready for the outbox. Only its text is kept: the HTML part is made from it as it leaves
 * (`htmlOf`), which halves what the jobs write when they queue a mail per letter at national scale.
 */
export type Mail = { to: string; subject: string; text: string };

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

const FOOTER = "Portail partenaires de la gestion en flux des contingents — Métropole Européenne de Lille.";

/** One layout for every mail: paragraphs, one call-to-action line « label : url », a blank line, the same footer. */
function layout(
  to: string,
  subject: string,
  paragraphs: string[],
  link: { label: string; url: string },
): Mail {
  const text = [...paragraphs, `${link.label} : ${link.url}`, "", FOOTER].join("\n\n");
  return { to, subject, text };
}

/** The HTML part of a mail laid out by `layout`: its paragraphs, the call-to-action as a link, the footer small. */
export function htmlOf(text: string): string {
  const paragraphs = text.split(/\n{2,}/);
  const footer = paragraphs.pop() ?? "";
  const action = /^(.*) : (\S+)$/s.exec(paragraphs.at(-1) ?? "");
  if (action) paragraphs.pop();
  return [
    ...paragraphs.map((p) => `<p>${escapeHtml(punctuate(p))}</p>`),
    ...(action ? [`<p><a href="${escapeHtml(action[2]!)}">${escapeHtml(action[1]!)}</a></p>`] : []),
    `<p style="color:#555;font-size:12px">${escapeHtml(footer)}</p>`,
  ].join("\n");
}

export function invitationMail(input: {
  to: string;
  organisationName: string;
  inviterName: string;
  roles: string[];
  url: string;
  expiresOn: string;
}): Mail {
  return layout(
    input.to,
    `Invitation au portail partenaires — ${input.organisationName}`,
    [
      "Bonjour,",
      `${input.inviterName} vous invite à rejoindre ${input.organisationName} sur le portail partenaires de la gestion en flux des contingents, avec le(s) rôle(s) : ${input.roles.join(", ")}.`,
      `Ce lien est personnel, utilisable une seule fois, et valable jusqu'au ${input.expiresOn}.`,
    ],
    { label: "Accepter l'invitation", url: input.url },
  );
}

export function passwordResetMail(input: { to: string; url: string; expiresAt: string }): Mail {
  return layout(
    input.to,
    "Réinitialisation de votre mot de passe",
    [
      "Bonjour,",
      "Une réinitialisation du mot de passe de votre compte sur le portail partenaires a été demandée.",
      `Ce lien est utilisable une seule fois, jusqu'à ${input.expiresAt}. Si vous n'êtes pas à l'origine de la demande, ignorez ce message : votre mot de passe reste inchangé.`,
    ],
    { label: "Choisir un nouveau mot de passe", url: input.url },
  );
}

// ── Yearly cycle (issue 3): forecasts, assiette, courriers valant avenant ────────────────────────────────────────

export function forecastReminderMail(input: {
  to: string;
  bailleurName: string;
  year: number;
  url: string;
}): Mail {
  return layout(
    input.to,
    `Rappel : prévision ${input.year} ${de(input.bailleurName)} à transmettre`,
    [
      "Bonjour,",
      `Les services de l'État n'ont pas encore reçu la prévision d'attributions ${input.year} ${de(input.bailleurName)} (colonnes A à G de l'annexe 1 de la convention cadre).`,
      "L'assiette du flux est publiée fin février : merci de saisir et de transmettre votre prévision dès que possible.",
    ],
    { label: "Saisir la prévision", url: input.url },
  );
}

export function assiettePublishedMail(input: { to: string; year: number; url: string }): Mail {
  return layout(
    input.to,
    `Assiette du flux ${input.year} publiée`,
    [
      "Bonjour,",
      `Les services de l'État ont publié l'assiette de référence du flux réservable ${input.year} (annexe 1 de la convention cadre).`,
      "Les réservataires peuvent maintenant préparer et envoyer leurs courriers valant avenant.",
    ],
    { label: "Voir l'assiette", url: input.url },
  );
}

/** A rectificatif of a published assiette (DESIGN §3): its version, its reason, and the letters it replaces. */
export function assietteRectifiedMail(input: {
  to: string;
  year: number;
  label: string;
  reason: string;
  bailleurs: string[];
  replacedLetters: number;
  url: string;
}): Mail {
  return layout(
    input.to,
    `Assiette du flux ${input.year} : rectificatif publié`,
    [
      "Bonjour,",
      `Les services de l'État ont publié un rectificatif : ${input.label}.`,
      `Motif : ${input.reason}`,
      `Lignes modifiées ou ajoutées : ${input.bailleurs.join(", ")}. Les autres lignes et leurs courriers restent inchangés.`,
      input.replacedLetters === 0
        ? "Aucun courrier valant avenant n'est remplacé."
        : `${input.replacedLetters} courrier(s) valant avenant dont les droits changent sont remplacés par un nouveau courrier, à envoyer par le réservataire (un nouveau délai de deux mois court à son envoi).`,
    ],
    { label: "Voir l'assiette", url: input.url },
  );
}

export type AvenantMailInput = {
  to: string;
  reservataireName: string;
  bailleurName: string;
  year: number;
  rate: string;
  rights: number;
  url: string;
};

export function avenantSentMail(input: AvenantMailInput & { deemedAcceptedOn: string }): Mail {
  return layout(
    input.to,
    `Courrier valant avenant ${input.year} — ${input.reservataireName}`,
    [
      "Bonjour,",
      `${input.reservataireName} adresse à ${input.bailleurName} son courrier valant avenant pour ${input.year} : taux de ${input.rate} de l'assiette du flux, soit ${input.rights} attribution(s).`,
      `Sans réaction de votre part, ce courrier sera réputé accepté le ${input.deemedAcceptedOn} ; ce délai n'est pas prorogé un samedi, un dimanche ou un jour férié. Le signataire de votre organisation peut l'accepter ou le contester d'ici là sur le portail.`,
    ],
    { label: "Voir le courrier", url: input.url },
  );
}

export function avenantReminderMail(
  input: AvenantMailInput & { deemedAcceptedOn: string; daysLeft: number },
): Mail {
  return layout(
    input.to,
    `Rappel : courrier valant avenant ${input.year} ${de(input.reservataireName)} — ${input.daysLeft} jours`,
    [
      "Bonjour,",
      `Le courrier valant avenant ${input.year} ${de(input.reservataireName)} (${input.rate}, ${input.rights} attribution(s)) attend la réponse ${de(input.bailleurName)}.`,
      `Sans réaction, il sera réputé accepté le ${input.deemedAcceptedOn}.`,
    ],
    { label: "Répondre", url: input.url },
  );
}

export function avenantOutcomeMail(
  input: AvenantMailInput & { outcome: string; reason?: string | null },
): Mail {
  return layout(
    input.to,
    `Courrier valant avenant ${input.year} ${input.reservataireName} / ${input.bailleurName} : ${input.outcome}`,
    [
      "Bonjour,",
      `Le courrier valant avenant ${input.year} ${de(input.reservataireName)} à ${input.bailleurName} (${input.rate}, ${input.rights} attribution(s)) est ${input.outcome}.`,
      ...(input.reason ? [`Motif : ${input.reason}`] : []),
    ],
    { label: "Voir le courrier", url: input.url },
  );
}

/** A written answer to a contest (revise or maintain), for the bailleur, who may bring it to the comité de suivi. */
export function avenantReplyMail(
  input: AvenantMailInput & { author: string; decision: string; reply: string; next: string },
): Mail {
  return layout(
    input.to,
    `Courrier valant avenant ${input.year} ${input.reservataireName} / ${input.bailleurName} : réponse à la contestation`,
    [
      "Bonjour,",
      `${input.author} répond à la contestation du courrier valant avenant ${input.year} de ${input.reservataireName} à ${input.bailleurName} : ${input.decision}.`,
      `Réponse : ${input.reply}`,
      input.next,
    ],
    { label: "Voir le courrier", url: input.url },
  );
}

// ── Signalements (issue 4; issue 16: each mail names its signalement — numéro unique, commune — and links to it). ──
// Nothing else of the household (composition, reason) leaves the portal, where each read is logged.

/** Which signalement a mail is about: « 059240100123A (Lille) ». */
export type SignalementRef = { numeroUnique: string | null; communeName: string; url: string };
const refOf = (s: SignalementRef) => `${s.numeroUnique ?? "(anonymisé)"} (${s.communeName})`;

export function signalementReceivedMail(input: { to: string } & SignalementRef): Mail {
  return layout(
    input.to,
    `Nouveau signalement ${refOf(input)}`,
    [
      "Bonjour,",
      `${input.communeName} vous signale le ménage ${input.numeroUnique} à reloger sur le contingent de la MEL. Merci d'en accuser réception puis d'en saisir le suivi sur le portail.`,
    ],
    { label: "Voir le signalement", url: input.url },
  );
}

export function signalementStepMail(
  input: { to: string; organisationName: string; stepLabel: string } & SignalementRef,
): Mail {
  return layout(
    input.to,
    `Signalement ${refOf(input)} : ${input.stepLabel}`,
    [
      "Bonjour,",
      `${input.organisationName} a enregistré l'étape « ${input.stepLabel} » sur le signalement ${refOf(input)}.`,
    ],
    { label: "Voir le signalement", url: input.url },
  );
}

export function signalementCommentMail(
  input: { to: string; organisationName: string } & SignalementRef,
): Mail {
  return layout(
    input.to,
    `Signalement ${refOf(input)} : nouveau commentaire`,
    ["Bonjour,", `${input.organisationName} a ajouté un commentaire sur le signalement ${refOf(input)}.`],
    { label: "Lire le commentaire", url: input.url },
  );
}

/** The day's signalement news of one user who chose the daily digest: one line each, with its link. */
export function signalementDigestMail(input: { to: string; lines: string[]; url: string }): Mail {
  return layout(
    input.to,
    `Signalements : ${input.lines.length} nouveauté${input.lines.length > 1 ? "s" : ""}`,
    [
      "Bonjour,",
      "Voici le résumé des signalements que vous suivez :",
      input.lines.map((l) => `– ${l}`).join("\n"),
    ],
    { label: "Voir les signalements", url: input.url },
  );
}

export function signalementFollowedElsewhereMail(input: {
  to: string;
  communeName: string;
  url: string;
}): Mail {
  return layout(
    input.to,
    "Signalement : numéro unique déjà suivi par une autre organisation",
    [
      "Bonjour,",
      `${input.communeName} vient de signaler un ménage dont le numéro unique fait déjà l'objet d'un signalement ouvert d'une autre organisation. Cette information n'est communiquée qu'à la MEL.`,
    ],
    { label: "Voir le signalement", url: input.url },
  );
}

export function cribPublishedMail(input: { to: string; heldOn: string; url: string }): Mail {
  return layout(
    input.to,
    `Liste de la CRIB du ${input.heldOn} publiée`,
    [
      "Bonjour,",
      `La MEL a publié la liste des mutations bloquées ou complexes envoyées en inter-bailleurs par la CRIB du ${input.heldOn}. Merci d'indiquer pour chaque cas si vous avez une solution possible.`,
    ],
    { label: "Voir la liste", url: input.url },
  );
}

export function cribReminderMail(input: { to: string; heldOn: string; missing: number; url: string }): Mail {
  const cases = input.missing === 1 ? "un cas" : `${input.missing} cas`;
  return layout(
    input.to,
    `Relance : liste de la CRIB du ${input.heldOn}`,
    [
      "Bonjour,",
      `Votre organisation n'a pas encore répondu à ${cases} en cours de la liste de la CRIB du ${input.heldOn}. Merci d'indiquer pour chacun si vous avez une solution possible.`,
    ],
    { label: "Répondre", url: input.url },
  );
}

export function cribPilotMail(input: { to: string; url: string }): Mail {
  return layout(
    input.to,
    "CRIB : vous êtes bailleur pilote d'un cas",
    ["Bonjour,", "L'URH a désigné votre organisation comme bailleur pilote d'un cas de la liste de la CRIB."],
    { label: "Voir la liste", url: input.url },
  );
}

// ── Programmes, comité de suivi, calendar of obligations (issue 6) ──────────────────────────────────────────────

export function programmeDeclaredMail(input: {
  to: string;
  bailleurName: string;
  programmeName: string;
  communeName: string;
  firstLettingOn: string;
  url: string;
}): Mail {
  return layout(
    input.to,
    `Programme neuf ${de(input.bailleurName)} : ${input.programmeName}`,
    [
      "Bonjour,",
      `${input.bailleurName} déclare le programme « ${input.programmeName} » (${input.communeName}), première mise en location le ${input.firstLettingOn}, avec une proposition de répartition des logements entre réservataires.`,
      "Vous pouvez émettre vos préconisations sur le portail avant que le bailleur arrête la répartition.",
    ],
    { label: "Voir le programme", url: input.url },
  );
}

export function deliveryUpdateRequestMail(input: { to: string; campaignLabel: string; url: string }): Mail {
  return layout(
    input.to,
    `Mise à jour de vos livraisons à venir (${input.campaignLabel})`,
    [
      "Bonjour,",
      `Comme chaque année en mai et en novembre, la MEL vous demande de mettre à jour les programmes que vous livrerez prochainement (campagne ${input.campaignLabel}) : dates de première mise en location, logements et propositions de répartition.`,
      "Une fois vos programmes à jour, confirmez-le sur le portail.",
    ],
    { label: "Mettre à jour mes livraisons", url: input.url },
  );
}

export function comiteConvocationMail(input: {
  to: string;
  heldOn: string;
  place: string;
  agenda: string;
  url: string;
}): Mail {
  return layout(
    input.to,
    `Convocation au comité de suivi des contingents du ${input.heldOn}`,
    [
      "Bonjour,",
      `La MEL vous convie au comité de suivi des contingents le ${input.heldOn} (${input.place}).`,
      `Ordre du jour : ${input.agenda}`,
    ],
    { label: "Voir la réunion et ses documents", url: input.url },
  );
}

export function comiteReportingMail(input: { to: string; heldOn: string; url: string }): Mail {
  return layout(
    input.to,
    `Reporting du comité de suivi des contingents du ${input.heldOn}`,
    [
      "Bonjour,",
      `La MEL publie le reporting du comité de suivi des contingents du ${input.heldOn} : compte rendu, décisions et documents.`,
    ],
    { label: "Lire le reporting", url: input.url },
  );
}

export function obligationLateMail(input: {
  to: string;
  organisationName: string;
  subject: string;
  dueOn: string;
  url: string;
}): Mail {
  return layout(
    input.to,
    `En retard : ${input.subject}`,
    [
      "Bonjour,",
      `Le calendrier des obligations ${de(input.organisationName)} indique une échéance dépassée : ${input.subject} (à faire au plus tard le ${input.dueOn}).`,
    ],
    { label: "Voir le calendrier", url: input.url },
  );
}

// ── Conventions (issue 3): cadre and bilatérales, signed by each party's signataire ─────────────────────────────
export function conventionToSignMail(input: {
  to: string;
  title: string;
  drafterName: string;
  url: string;
}): Mail {
  return layout(
    input.to,
    `Convention à signer — ${input.title}`,
    [
      "Bonjour,",
      `${input.drafterName} a établi la convention « ${input.title} », à laquelle votre organisation est partie.`,
      "Le signataire de votre organisation peut la relire et la signer sur le portail.",
    ],
    { label: "Voir la convention", url: input.url },
  );
}

export function conventionSignatureMail(input: {
  to: string;
  title: string;
  signerOrganisation: string;
  complete: boolean;
  url: string;
}): Mail {
  return layout(
    input.to,
    `${input.complete ? "Convention signée" : "Nouvelle signature"} — ${input.title}`,
    [
      "Bonjour,",
      `${input.signerOrganisation} a signé la convention « ${input.title} ».`,
      input.complete
        ? "Toutes les parties ont signé : la convention est désormais figée (elle ne change plus que par avenant). Le PDF signé est disponible sur le portail."
        : "D'autres parties doivent encore la signer.",
    ],
    { label: "Voir la convention", url: input.url },
  );
}

// ── Bilans annuels (issue 5; decree 2020-145) ─────────────────────────────────────────────────────────────────────
export function bilanSentMail(input: { to: string; bailleurName: string; year: number; url: string }): Mail {
  return layout(
    input.to,
    `Bilan annuel ${input.year} ${de(input.bailleurName)}`,
    [
      "Bonjour,",
      `${input.bailleurName} vous a transmis son bilan annuel ${input.year} des logements attribués sur votre contingent (décret du 20 février 2020).`,
      "Consultez-le et accusez-en réception dans le portail.",
    ],
    { label: "Voir le bilan", url: input.url },
  );
}

export function bilanReminderMail(input: {
  to: string;
  year: number;
  lastDay: string;
  missing: number;
  url: string;
}): Mail {
  return layout(
    input.to,
    `Rappel : bilans annuels ${input.year} à transmettre avant le 28 février`,
    [
      "Bonjour,",
      `${input.missing} bilan(s) annuel(s) ${input.year} reste(nt) à transmettre à vos réservataires, au plus tard le ${input.lastDay}.`,
    ],
    { label: "Transmettre les bilans", url: input.url },
  );
}
