import { z } from "zod";
import {
  AVENANT_CONTEST_PARTS,
  AVENANT_MESSAGE_KINDS,
  AVENANT_STATUSES,
  FORECAST_STATUSES,
} from "#db/schema";
import { instant } from "./json-schema";

/** What the API answers about the yearly cycle (issue 3): assiette, forecasts, avenants, described once. */

const count = z.int().min(0);
export const forecastResponse = z
  .object({ a: count, b: count, c: count, d: count, e: count, f: count, g: count })
  .meta({
    description:
      "Colonnes A à G de l'annexe 1 (nombres entiers d'attributions) ; C + D + E + F + G ≤ A, B ≤ A.",
  });
const bailleur = z.object({ id: z.guid(), slug: z.string(), name: z.string() });
const forecastStatus = z.enum(FORECAST_STATUSES);
const pending = {
  pendingVersion: z.int().nullable().meta({
    description: "Assiette déjà publiée : la version (rectificatif) dans laquelle la prévision entrera",
  }),
  message: z.string().nullable(),
};

export const forecastStepResponse = z
  .object({
    forecastId: z.guid(),
    bailleurId: z.guid(),
    status: forecastStatus,
    forecast: forecastResponse,
    ...pending,
  })
  .meta({ description: "Une prévision corrigée par l'État" });

export const forecastValidatedResponse = z.object({ forecastId: z.guid(), status: z.literal("validated") });

export const remindedResponse = z.object({
  bailleurs: z.int().meta({ description: "Bailleurs relancés" }),
  mails: z.int().meta({ description: "Courriels envoyés" }),
});

export const assiettePublishedResponse = z.object({
  year: z.int(),
  published: z.literal(true),
  publishedAt: instant(),
  version: z.literal(1),
  missing: z.int().meta({ description: "Bailleurs sans prévision transmise (publication confirmée)" }),
});

const versionFields = {
  version: z.int(),
  publishedAt: instant(),
  reason: z.string().nullable().meta({ description: "Motif du rectificatif (null pour la version 1)" }),
  label: z.string().meta({ example: "assiette de référence 2026, version 2 (rectificatif du 12 mars 2026)" }),
};
const columnChanges = z.array(
  z.object({
    column: z.string().meta({ description: "a à g, h, ou rate:<contingent>" }),
    before: z.int().nullable(),
    after: z.int(),
  }),
);
const changeKind = z.enum(["added", "changed"]);

export const assietteVersionsResponse = z.object({
  year: z.int(),
  versions: z.array(z.object(versionFields)),
  pending: z
    .object({
      version: z.int(),
      changes: z.array(
        z
          .object({ bailleur, kind: changeKind, columns: columnChanges })
          .meta({ description: "Une ligne que la version suivante ajoute (prévision tardive) ou modifie" }),
      ),
    })
    .nullable()
    .optional()
    .meta({ description: "Services de l'État seulement (null avant la publication)" }),
});

export const rectifiedResponse = z.object({
  year: z.int(),
  ...versionFields,
  changes: z.array(z.object({ bailleurId: z.guid(), kind: changeKind, columns: columnChanges })),
  replacedLetters: z
    .array(z.object({ from: z.guid(), to: z.guid(), bailleurId: z.guid(), reservataireId: z.guid() }))
    .meta({ description: "Les courriers remplacés (from) par un nouveau brouillon (to)" }),
});

const right = {
  rateBp: z.int().meta({ description: "Taux en points de base (1 % = 100)" }),
  exact: z.number().nullable().meta({ description: "taux × H" }),
  rounded: z.int().nullable().meta({ description: "Le droit, arrondi (null sans prévision transmise)" }),
};
const reservataireRight = {
  ...right,
  source: z
    .object({
      type: z.enum(["cadre", "convention", "legacy"]),
      conventionId: z.guid().nullable(),
      title: z.string(),
    })
    .meta({
      description:
        "Le document d'où vient le taux : la convention cadre, une convention signée des deux parties, ou un taux saisi avant (legacy)",
    }),
};

const annexRowFields = {
  bailleur,
  forecastId: z.guid().nullable(),
  status: z.enum([...FORECAST_STATUSES, "missing"]),
  submittedAt: instant().nullable(),
  forecast: forecastResponse.nullable(),
  h: z.int().nullable().meta({ description: "H = A − C − D − E − F − G" }),
  remainder: z.int().nullable().meta({
    description: "H moins tous les droits : le contingent propre du bailleur (null sans prévision transmise)",
  }),
  reservataires: z.record(z.string(), z.object(reservataireRight)).meta({
    description:
      "Par réservataire (etat, action_logement, sicf, metropole, departement) : son droit, arrondi une fois sur son taux total (Action Logement : rétrocession comprise), et le document d'où vient le taux",
  }),
  communes: z
    .array(z.object({ id: z.guid(), name: z.string(), ...reservataireRight }))
    .meta({ description: "Parts des communes garantes, prises sur les 20 % de la MEL (004 l.178)" }),
  rights: z.record(z.string(), z.object(right)).meta({
    description:
      "Par contingent : etat, action_logement_retrocession, action_logement, sicf, mel, departement",
  }),
};
export const annexRowResponse = z.object(annexRowFields);
export const ownForecastResponse = z.object({ ...annexRowFields, ...pending });

export const assietteResponse = z.object({
  year: z.int(),
  published: z.boolean(),
  version: z.int().nullable().meta({
    description: "Version dont viennent les chiffres (null avant la publication : prévisions en cours)",
  }),
  publishedAt: instant().nullable().meta({ description: "Publication de cette version" }),
  reason: z.string().nullable().meta({ description: "Motif du rectificatif (null pour la version 1)" }),
  versionLabel: z.string().nullable().meta({
    example: "assiette de référence 2026, version 2 (rectificatif du 12 mars 2026)",
  }),
  latestVersion: z.int().nullable(),
  roundingRule: z.string(),
  submitted: z.int().optional().meta({ description: "État, MEL, URH seulement : prévisions transmises" }),
  total: z.int().optional().meta({ description: "État, MEL, URH seulement : nombre de bailleurs" }),
  rows: z.array(annexRowResponse),
});

const named = z.object({ id: z.guid(), name: z.string() });
export const avenantResponse = z.object({
  id: z.guid(),
  year: z.int(),
  reservataire: named,
  bailleur: named,
  status: z.enum(AVENANT_STATUSES),
  rateBp: z.int(),
  fluxH: z.int(),
  rights: z.object({ exact: z.number(), rounded: z.int() }),
  sentAt: instant().nullable(),
  deadline: z
    .object({
      lastDay: z.iso.date(),
      endsAt: instant(),
      label: z.string().meta({ example: "samedi 30 janvier 2027 à 24 h (heure de Paris)" }),
    })
    .nullable()
    .meta({
      description:
        "Fin du délai de deux mois : lastDay (jour calendaire à Paris) et endsAt (instant exclusif, minuit suivant)",
    }),
  answeredAt: instant().nullable(),
  acceptance: z.enum(["explicit", "tacit"]).nullable().meta({
    description: "explicit : accepté par le signataire du bailleur ; tacit : sans réaction dans le délai",
  }),
  acceptedAt: instant().nullable().meta({
    description:
      "Instant de l'acceptation ; tacite : la fin du délai (deadline.endsAt), quel que soit le passage du traitement",
  }),
  acceptedBy: z
    .object({ user: named, organisation: named })
    .nullable()
    .meta({ description: "Acceptation explicite : le signataire et son organisation" }),
  contestReason: z.string().nullable(),
  dispute: z
    .object({
      contested: z.array(z.enum(["h", "rate"])),
      pending: z.array(z.enum(["h", "rate"])).meta({ description: "Parties sans réponse" }),
      awaitingRectificatif: z.boolean().meta({
        description: "L'État corrige H : un rectificatif de l'assiette remplacera ce courrier",
      }),
      thread: z.array(
        z.object({
          kind: z.enum(AVENANT_MESSAGE_KINDS),
          part: z.enum(AVENANT_CONTEST_PARTS),
          text: z.string(),
          rateBp: z.int().nullable(),
          letterVersion: z.int(),
          at: instant(),
          author: named,
          organisation: named,
        }),
      ),
    })
    .meta({
      description:
        "Contestation : H (l'assiette, à laquelle l'État répond), rate (le taux, auquel le réservataire répond) ou both",
    }),
  version: z.int(),
  assietteVersion: z.int().meta({ description: "Version de l'assiette dont viennent H et les droits" }),
  replacedBy: z.guid().nullable().meta({
    description: "Courrier qui remplace celui-ci après un rectificatif (statut replaced)",
  }),
});
export const avenantListResponse = z.array(avenantResponse);

export const avenantsGeneratedResponse = z.object({
  created: z.int(),
  existing: z.int(),
  refused: z
    .array(z.object({ bailleur, reason: z.string() }))
    .meta({ description: "Bailleurs dont la prévision n'est qu'un brouillon : aucun courrier" }),
  avenants: avenantListResponse,
});

export const avenantsSentResponse = z.object({
  sent: z.int(),
  refused: z.array(z.object({ id: z.guid(), bailleur: z.string(), reason: z.string() })),
});
