import { z } from "zod";
import { TYPOLOGIES } from "~/domain/housing";
import {
  CALEOL_DECISIONS,
  CLOSURE_REASONS,
  INSEE_CODE_PATTERN,
  PUBLIC_CATEGORIES,
  parseNumeroUnique,
  SIGNALEMENT_STATUSES,
  URGENCIES,
} from "~/domain/signalement";
import { isoDayField } from "./input-fields";

/**
 * Schemas shared by the signalement forms (react-hook-form), the pages' actions and the API (same messages); the
 * CRIB list's schemas reuse its fields.
 */

export const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const numeroUniqueField = z
  .string({ error: "Indiquez le numéro unique de la demande." })
  .transform((raw, ctx) => {
    const parsed = parseNumeroUnique(raw);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    }
    return parsed.value;
  })
  .meta({
    description:
      "Numéro unique SNE (espaces, points et tirets ignorés) : département sur 3 caractères, année et mois (AAMM), numéro d'ordre de 5 à 8 chiffres, clé de 1 à 3 caractères, ex. « 059 2401 00123 A ».",
  });

export const typologyWantedField = z.enum(TYPOLOGIES, {
  error: "Choisissez la typologie souhaitée (T1 à T6 et plus).",
});

/** INSEE codes of the communes a household wants (the 95 of the MEL at most). */
export const communesWantedField = z
  .array(
    z.string().trim().regex(INSEE_CODE_PATTERN, {
      error: "Commune souhaitée : code INSEE à 5 caractères, par exemple 59350.",
    }),
    { error: "Indiquez au moins une commune souhaitée." },
  )
  .min(1, { error: "Indiquez au moins une commune souhaitée." })
  .max(95, { error: "95 communes au plus." });

/** The typology of a flat, when one is given (blank: none). */
export const optionalTypologyField = z.preprocess(
  blankToUndefined,
  z.enum(TYPOLOGIES, { error: "Typologie : T1 à T6." }).optional(),
);

const count = (what: string, min: number) =>
  z.coerce
    .number({ error: `Indiquez le nombre ${what}.` })
    .int({ error: `Le nombre ${what} est un nombre entier.` })
    .min(min, { error: `Le nombre ${what} est au moins ${min}.` })
    .max(20, { error: `Le nombre ${what} est au plus 20.` });

export const signalementSchema = z.object({
  numeroUnique: numeroUniqueField,
  adults: count("d'adultes", 1),
  children: count("d'enfants", 0),
  typology: typologyWantedField,
  communesWanted: communesWantedField,
  publicCategory: z.enum(PUBLIC_CATEGORIES, {
    error: "Choisissez le public du ménage (DALO, PDALHPD, MBC, NPRU, cible CIA ou autre).",
  }),
  // Blank or absent: unknown (null) and normal urgency, which the defaults say to API clients too.
  incomeQuartile: z.preprocess(
    (v) => blankToUndefined(v) ?? undefined,
    z.coerce
      .number()
      .int()
      .min(1, { error: "Le quartile de ressources va de 1 à 4." })
      .max(4, { error: "Le quartile de ressources va de 1 à 4." })
      .nullable()
      .default(null),
  ),
  urgency: z.preprocess(
    (v) => blankToUndefined(v) ?? undefined,
    z.enum(URGENCIES, { error: "Urgence : normale, urgente ou très urgente." }).default("normal"),
  ),
  reason: z
    .string({ error: "Indiquez en quelques mots le motif du signalement." })
    .trim()
    .min(3, { error: "Indiquez en quelques mots le motif du signalement." })
    .max(500, { error: "Le motif tient en 500 caractères au plus." })
    .meta({ description: "Motif court. N'y écrivez aucune donnée de santé ni autre donnée sensible." }),
  bailleurSlugs: z
    .array(z.string().trim().min(1), { error: "Choisissez au moins un bailleur destinataire." })
    .min(1, { error: "Choisissez au moins un bailleur destinataire." })
    .max(25, { error: "25 bailleurs au plus." })
    .meta({ description: "Bailleurs destinataires (identifiants)" }),
});
export type SignalementInput = z.output<typeof signalementSchema>;

/** What the commune may complete or correct until a bailleur acknowledges (the numéro unique and addressees stay). */
export const signalementCorrectionSchema = signalementSchema.omit({
  numeroUnique: true,
  bailleurSlugs: true,
});
export type SignalementCorrection = z.output<typeof signalementCorrectionSchema>;

const optionalText = (max: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(max, { error: `${max} caractères au plus.` })
      .optional(),
  );

// Each field but the type belongs to some steps only: its description names them.
export const signalementEventSchema = z.object({
  type: z.enum(SIGNALEMENT_STATUSES, { error: "Étape inconnue." }),
  note: optionalText(500),
  caleolDate: optionalText(10).meta({ description: "presented_caleol : la date (AAAA-MM-JJ)" }),
  flatCommune: optionalText(5).meta({
    description: "presented_caleol : code INSEE de la commune du logement",
  }),
  flatTypology: optionalTypologyField.meta({ description: "presented_caleol" }),
  decision: z
    .preprocess(
      blankToUndefined,
      z.enum(CALEOL_DECISIONS, { error: "Décision de CALEOL inconnue." }).optional(),
    )
    .meta({ description: "caleol_decision" }),
  signedOn: optionalText(10).meta({ description: "lease_signed : la date (AAAA-MM-JJ)" }),
  reason: optionalText(500).meta({ description: "refused_by_household, not_retained" }),
  closure: z
    .preprocess(blankToUndefined, z.enum(CLOSURE_REASONS, { error: "Motif de clôture inconnu." }).optional())
    .meta({ description: "closed ; withdrawn_by_commune par la commune seulement" }),
  /**
   * « Bail signé »: the attribution's own fields (QPV, financing, PMR, contingent…), checked by the attributions'
   * schema; what the signalement already knows (numéro unique, date, commune, typology, public) is filled in.
   */
  attribution: z.record(z.string(), z.unknown()).optional().meta({
    description:
      "lease_signed : les champs propres de l'attribution (QPV, financement, PMR, contingent…), comme POST /attributions",
  }),
});
export type SignalementEventInput = z.output<typeof signalementEventSchema>;

export const signalementCommentSchema = z.object({
  text: z
    .string({ error: "Écrivez un commentaire." })
    .trim()
    .min(1, { error: "Écrivez un commentaire." })
    .max(2000, { error: "2 000 caractères au plus." }),
});

const isoDay = (label: string) => isoDayField(`${label} : une date AAAA-MM-JJ, par exemple 2026-03-01.`);

/** The list's filters: each is kept in the URL (page, export and API take the same query string). */
export const SIGNALEMENT_FILTER_KEYS = [
  "status",
  "numeroUnique",
  "commune",
  "bailleur",
  "publicCategory",
  "urgency",
  "from",
  "to",
  "after",
] as const;

export const signalementFiltersSchema = z.object({
  status: z.preprocess(
    blankToUndefined,
    z.enum(SIGNALEMENT_STATUSES, { error: "Statut inconnu." }).optional(),
  ),
  numeroUnique: z.preprocess(blankToUndefined, z.string().max(40).optional()),
  /** Checked against the MEL's communes by the model. */
  commune: z
    .preprocess(
      blankToUndefined,
      z
        .string()
        .regex(INSEE_CODE_PATTERN, { error: "Commune : code INSEE à 5 caractères, par exemple 59350." })
        .optional(),
    )
    .meta({ description: "Code INSEE de la commune qui signale" }),
  bailleur: z
    .preprocess(blankToUndefined, z.string().max(80).optional())
    .meta({ description: "Identifiant (slug) d'un bailleur destinataire" }),
  publicCategory: z.preprocess(
    blankToUndefined,
    z.enum(PUBLIC_CATEGORIES, { error: "Public inconnu." }).optional(),
  ),
  urgency: z.preprocess(blankToUndefined, z.enum(URGENCIES, { error: "Urgence inconnue." }).optional()),
  from: z
    .preprocess(blankToUndefined, isoDay("Du").optional())
    .meta({ description: "Envoyé à partir de ce jour (AAAA-MM-JJ, heure de Paris)" }),
  to: z
    .preprocess(blankToUndefined, isoDay("Au").optional())
    .meta({ description: "Envoyé jusqu'à ce jour inclus" }),
  after: z
    .preprocess(
      blankToUndefined,
      z.uuid({ error: "Curseur de page invalide : reprenez le lien « page suivante »." }).optional(),
    )
    .meta({
      description: "Curseur : l'id du dernier signalement de la page précédente (voir l'en-tête Link)",
    }),
});
export type SignalementFilters = z.output<typeof signalementFiltersSchema>;

/** The list's filters read from a query string (board, exports and API alike). */
export const parseSignalementFilters = (params: URLSearchParams) =>
  signalementFiltersSchema.safeParse(
    Object.fromEntries(SIGNALEMENT_FILTER_KEYS.map((key) => [key, params.get(key) ?? undefined])),
  );
