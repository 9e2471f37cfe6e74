/** What became of a mail of the outbox, as support reads it (the outbox page and its model). */
export const MAIL_STATUSES = {
  pending: "En attente",
  retrying: "Nouvelle tentative prévue",
  sent: "Envoyé",
  failed: "En échec définitif",
} as const;
export type MailStatus = keyof typeof MAIL_STATUSES;
