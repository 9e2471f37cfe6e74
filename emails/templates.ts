/** A rendered e-mail, ready for the outbox. */
export type Mail = { to: string; subject: string; text: string; html: string };

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** One layout for every mail: paragraphs, one call-to-action link, the same footer. */
function layout(
  to: string,
  subject: string,
  paragraphs: string[],
  link: { label: string; url: string },
): Mail {
  const footer = "Portail partenaires de la gestion en flux des contingents — Métropole Européenne de Lille.";
  const text = [...paragraphs, `${link.label} : ${link.url}`, "", footer].join("\n\n");
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`,
    `<p style="color:#555;font-size:12px">${escapeHtml(footer)}</p>`,
  ].join("\n");
  return { to, subject, text, html };
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
