import { z } from "zod";
import { TYPOLOGIES } from "~/domain/housing";
import { MAX_PROGRAMME_FLATS, PROGRAMME_FINANCINGS, totalFlats } from "~/domain/programme";
import { INSEE_CODE_PATTERN } from "~/domain/signalement";
import { formatNumber } from "./french";
import { int4, isoDayField } from "./input-fields";

/** Schemas of programmes, their split and the comité (pages and API, same French messages). */

const checkbox = z.preprocess(
  (v) => (v === "on" || v === "true" || v === "oui" ? true : v === undefined || v === "false" ? false : v),
  z.boolean({ error: "PMR : oui ou non." }),
);
const flatKind = {
  typology: z.enum(TYPOLOGIES, { error: "Choisissez la typologie (T1 à T6 et plus)." }),
  financing: z.enum(PROGRAMME_FINANCINGS, { error: "Choisissez le financement : PLAI, PLUS ou PLS." }),
  pmr: checkbox,
};

/** `GET /programmes?after=`: the keyset cursor (a cursor that is no programme's id starts from the beginning). */
export const programmeListQuerySchema = z.object({
  after: z.string().optional().meta({
    description: "Curseur : l'id du dernier programme de la page précédente (voir l'en-tête Link)",
  }),
});

export const programmeSchema = z.object({
  communeInsee: z
    .string({ error: "Choisissez la commune du programme." })
    .trim()
    .regex(INSEE_CODE_PATTERN, { error: "Code INSEE à 5 caractères, par exemple 59350." })
    .meta({ description: "Code INSEE d'une commune de la MEL", example: "59350" }),
  name: z
    .string({ error: "Nommez le programme." })
    .trim()
    .min(2, { error: "Nommez le programme (2 caractères au moins)." })
    .max(200, { error: "200 caractères au plus." }),
  address: z
    .string({ error: "Indiquez l'adresse du programme." })
    .trim()
    .min(3, { error: "Indiquez l'adresse du programme." })
    .max(300, { error: "300 caractères au plus." }),
  firstLettingDate: isoDayField("Indiquez la date de première mise en location (AAAA-MM-JJ)."),
  flats: z
    .array(
      z.object({
        ...flatKind,
        count: z.coerce
          .number({ error: "Indiquez un nombre de logements." })
          .int({ error: "Un nombre entier de logements." })
          .min(1, { error: "Au moins 1 logement par ligne." })
          .max(MAX_PROGRAMME_FLATS, {
            error: `${formatNumber(MAX_PROGRAMME_FLATS)} logements au plus par ligne.`,
          }),
      }),
      { error: "Décrivez les logements du programme." },
    )
    .min(1, { error: "Décrivez au moins une ligne de logements." })
    .refine((flats) => totalFlats(flats) <= MAX_PROGRAMME_FLATS, {
      error: (issue) =>
        `${formatNumber(MAX_PROGRAMME_FLATS)} logements au plus par programme, toutes lignes comprises (${formatNumber(totalFlats(issue.input as Array<{ count: number }>))} indiqués).`,
    }),
  announceOnly: z
    .boolean()
    .optional()
    .meta({ description: "Annonce une livraison, déclarée plus tard aux réservataires (…/declare)" }),
});
export type ProgrammeInput = z.output<typeof programmeSchema>;

export const splitSchema = z.object({
  allocations: z
    .array(
      z.object({
        reservataire: z
          .string({ error: "Indiquez le réservataire (ou null pour la part du bailleur)." })
          .nullable()
          .meta({
            description:
              "Slug du réservataire (contingent sur ce bailleur exigé), ou null pour la part du bailleur",
          }),
        ...flatKind,
        count: int4("Indiquez un nombre entier de logements.").min(0, {
          error: "Un nombre positif ou nul.",
        }),
      }),
      { error: "Indiquez la répartition (allocations)." },
    )
    .min(1, { error: "Indiquez au moins une part." }),
});
export type SplitInput = z.output<typeof splitSchema>;

export const recommendationSchema = z.object({
  text: z
    .string({ error: "Rédigez vos préconisations." })
    .trim()
    .min(2, { error: "Rédigez vos préconisations." })
    .max(4000, { error: "4 000 caractères au plus." }),
});

export const deliveryPeriodSchema = z.object({
  year: z.coerce.number({ error: "Année invalide." }).int().min(2000).max(2100),
  /** 1 or 2 for a semester; omitted (or empty, as a form posts « Année entière ») for the whole year. */
  half: z
    .preprocess(
      (v) => (v === "" || v === undefined || v === null ? undefined : Number(v)),
      z
        .union([z.literal(1), z.literal(2), z.null()], {
          error: "Semestre (half) : 1 ou 2 ; omettez-le pour l'année entière.",
        })
        .default(null),
    )
    .meta({ description: "1 : 1er janvier–30 juin ; 2 : 1er juillet–31 décembre ; omis : l'année entière" }),
});

export const comiteSchema = z.object({
  heldOn: isoDayField("Indiquez la date de la réunion (AAAA-MM-JJ)."),
  /** The start time in Paris, HH:mm (optional: a meeting without time shows its day only). */
  heldTime: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "Heure invalide : écrivez-la 14:30." })
      .optional(),
  ),
  place: z
    .string({ error: "Indiquez le lieu." })
    .trim()
    .min(2, { error: "Indiquez le lieu." })
    .max(200, { error: "200 caractères au plus." }),
  agenda: z
    .string({ error: "Rédigez l'ordre du jour." })
    .trim()
    .min(2, { error: "Rédigez l'ordre du jour." })
    .max(4000, { error: "4 000 caractères au plus." }),
  /** Bailleurs invited for this agenda (slugs). */
  bailleurs: z.array(z.string().trim().min(1)).default([]),
});
export type ComiteInput = z.output<typeof comiteSchema>;

/** `POST /comites/{id}`: send the convocation, or publish the reporting to the communes. */
export const comiteActionSchema = z.object({
  action: z.enum(["convene", "publish"], {
    error: "Indiquez l'action : « convene » (convocation) ou « publish » (reporting).",
  }),
});

export const minutesSchema = z.object({
  minutes: z
    .string({ error: "Rédigez le compte rendu." })
    .trim()
    .min(2, { error: "Rédigez le compte rendu." })
    .max(20_000, { error: "20 000 caractères au plus." }),
  decisions: z
    .string({ error: "Indiquez les décisions (ou « Aucune »)." })
    .trim()
    .min(2, { error: "Indiquez les décisions (ou « Aucune »)." })
    .max(20_000, { error: "20 000 caractères au plus." }),
});
