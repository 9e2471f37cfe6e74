import { z } from "zod";
import { CRIB_CASE_STATUSES } from "~/domain/crib";
import { TYPOLOGIES } from "~/domain/housing";
import {
  CALEOL_DECISIONS,
  CLOSURE_REASONS,
  PUBLIC_CATEGORIES,
  SIGNALEMENT_STATUSES,
  URGENCIES,
} from "~/domain/signalement";
import { instant } from "./json-schema";

/** What the API answers about signalements and the CRIB's list (issue 4): the JSON the models build, described once. */

const signalementStatus = z.enum(SIGNALEMENT_STATUSES);
const typology = z.enum(TYPOLOGIES);

/** What the list and the detail both give. */
const summaryFields = {
  id: z.guid(),
  communeId: z.guid(),
  communeName: z.string(),
  numeroUnique: z.string().nullable().meta({ description: "Null une fois anonymisé" }),
  typology,
  publicCategory: z.enum(PUBLIC_CATEGORIES),
  urgency: z.enum(URGENCIES),
  status: signalementStatus,
  createdAt: instant(),
  acknowledgedAt: instant().nullable(),
  closedAt: instant().nullable(),
  followedElsewhere: z.boolean().optional().meta({
    description: "MEL seulement : une autre organisation suivait déjà ce numéro unique à la création.",
  }),
  bailleurs: z.array(z.object({ name: z.string(), slug: z.string(), acknowledgedAt: instant().nullable() })),
};

export const signalementSummaryResponse = z.object(summaryFields).meta({
  description:
    "Ce qu'une liste montre d'un signalement : ni la composition du ménage, ni ses souhaits, ni le motif",
});
export const signalementListResponse = z.array(signalementSummaryResponse);

const step = {
  id: z.guid(),
  at: instant(),
  byName: z.string().nullable(),
  byOrganisation: z.string().nullable(),
};

export const signalementResponse = z.object({
  ...summaryFields,
  adults: z.int(),
  children: z.int(),
  communesWanted: z.array(z.string()),
  incomeQuartile: z.int().nullable(),
  reason: z.string().nullable(),
  anonymisedAt: instant().nullable(),
  handlerUserId: z.guid().nullable(),
  createdBy: z.guid().nullable(),
  updatedAt: instant(),
  events: z.array(
    z.object({
      ...step,
      type: signalementStatus,
      details: z.object({
        note: z.string().optional(),
        caleolDate: z.string().optional(),
        flatCommune: z.string().optional(),
        flatTypology: typology.optional(),
        decision: z.enum(CALEOL_DECISIONS).optional(),
        signedOn: z.string().optional(),
        reason: z.string().optional(),
        closure: z.enum(CLOSURE_REASONS).optional(),
        attributionId: z.guid().optional(),
      }),
    }),
  ),
  comments: z.array(z.object({ ...step, text: z.string() })),
  party: z
    .enum(["commune", "bailleur"])
    .nullable()
    .meta({ description: "Le côté du lecteur (null : ni l'un ni l'autre)" }),
  canUpdate: z.boolean(),
  myHandlerId: z.guid().nullable().meta({ description: "Qui suit le signalement du côté du lecteur" }),
});

export const signalementCreatedResponse = z.object({ id: z.guid(), status: z.literal("sent") });
export const signalementStepResponse = z.object({ status: signalementStatus });

export const cribSessionListResponse = z.array(
  z.object({ id: z.guid(), heldOn: z.iso.date(), publishedAt: instant().nullable(), cases: z.int() }),
);

export const cribSessionResponse = z.object({
  session: z.object({ id: z.guid(), heldOn: z.iso.date(), publishedAt: instant().nullable() }),
  cases: z.array(
    z.object({
      id: z.guid(),
      numeroUnique: z.string().nullable().meta({ description: "Null une fois anonymisé" }),
      typology,
      communesWanted: z.array(z.string()),
      status: z.enum(CRIB_CASE_STATUSES),
      notes: z
        .string()
        .meta({ description: "Notes de suivi de la MEL et de l'URH (vides pour un bailleur)" }),
      originName: z.string(),
      pilotName: z.string().nullable(),
      pilotSlug: z.string().nullable(),
      answers: z.array(
        z.object({
          bailleurName: z.string(),
          hasSolution: z.boolean(),
          flatCommune: z.string().nullable(),
          flatTypology: z.string().nullable(),
          note: z.string(),
          answeredAt: instant(),
        }),
      ),
    }),
  ),
  awaited: z
    .array(z.object({ id: z.guid(), name: z.string(), missing: z.int(), remindedToday: z.boolean() }))
    .meta({
      description: "MEL et URH, liste publiée : les bailleurs qui n'ont pas répondu à chaque cas en cours",
    }),
});

export const createdResponse = z.object({ id: z.guid() });
export const cribPublishedResponse = z.object({ published: z.literal(true) });
export const cribRemindedResponse = z.object({
  reminded: z.array(z.string()).meta({ description: "Les bailleurs relancés" }),
});
export const cribAnsweredResponse = z.object({ answered: z.literal(true) });
export const cribUpdatedResponse = z.object({ updated: z.literal(true) });
