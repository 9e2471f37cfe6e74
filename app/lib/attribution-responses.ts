import { z } from "zod";
import { ATTRIBUTION_CONTINGENTS, ELIGIBILITIES, TRANSFERS } from "~/domain/attribution";
import { CONSTRUCTION_PERIODS, FINANCINGS, TYPOLOGIES } from "~/domain/housing";
import { REHOUSINGS } from "~/domain/publics";
import { PUBLIC_CATEGORIES } from "~/domain/signalement";

/** What the API answers about attributions (issue 5, recording): the JSON the models build, described once. */

const organisation = z.object({ slug: z.string(), name: z.string() });

export const attributionResponse = z.object({
  id: z.guid(),
  numeroUnique: z
    .string()
    .meta({ description: "Numéro unique SNE de la demande, ex. « 059 2401 00123 A »." }),
  leaseDate: z.iso.date().meta({ description: "Date de signature du bail ; jamais dans le futur." }),
  bailleur: organisation,
  communeInsee: z.string().meta({ description: "Code INSEE d'une commune de la MEL, ex. 59350." }),
  qpv: z.boolean(),
  qpvCode: z
    .string()
    .regex(/^[A-Z0-9]{6,12}$/)
    .nullable()
    .meta({
      description:
        "Code du quartier prioritaire (liste tenue par la MEL, GET /api/v1/qpv), dans la commune du logement ; implique qpv = true. Null : « quartier non renseigné ».",
    }),
  typology: z.enum(TYPOLOGIES).meta({ description: "T6 = 6 pièces et plus" }),
  financing: z.enum(FINANCINGS),
  pmr: z.boolean(),
  firstLetting: z.boolean().meta({ description: "Première mise en location d'un programme neuf" }),
  constructionPeriod: z.enum(CONSTRUCTION_PERIODS),
  publicCategory: z.enum(PUBLIC_CATEGORIES),
  transfer: z.enum(TRANSFERS),
  incomeQuartile: z.int().min(1).max(4).nullable(),
  refusalsAfterCaleol: z.int().min(0),
  contingent: z.enum(ATTRIBUTION_CONTINGENTS).meta({
    description:
      "Enregistré « none » pour un relogement NPRU, ORCOD, LHI, pour vente ou une mutation interne",
  }),
  reservataire: organisation.nullable().meta({
    description: "L'organisation qui détient le contingent (la commune du logement pour « commune »)",
  }),
  countsOnRights: z.boolean().meta({
    description:
      "Faux hors flux (NPRU, ORCOD, LHI, vente, mutation interne), pour « none », et pour le second enregistrement d'un doublon",
  }),
  rehousing: z.enum(REHOUSINGS).meta({
    description: "Relogement hors flux (annexe 1, colonnes D à G) : ne consomme pas de droits",
  }),
  eligibility: z.enum(ELIGIBILITIES).nullable().meta({
    description: "Sur les contingents d'Action Logement (salarié PEEC) et de la SICF (agent SNCF) seulement",
  }),
  duplicate: z.boolean().meta({
    description:
      "Vrai tant que le même numéro unique avec la même date de bail est enregistré chez un autre bailleur (compté une fois)",
  }),
});

export const attributionPageResponse = z.object({
  attributions: z.array(attributionResponse),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: "Le curseur de la page suivante (`cursor`), null à la fin" }),
});

export const attributionBatchResultResponse = z.object({
  received: z.int(),
  created: z.int().meta({ description: "Attributions nouvelles" }),
  alreadyKnown: z
    .int()
    .meta({ description: "Déjà enregistrées (même bailleur, numéro unique, date) : inchangées" }),
});
