import { z } from "zod";
import { ORGANISATION_KINDS, PROGRAMME_STATUSES } from "#db/schema";
import { TYPOLOGIES } from "~/domain/housing";
import { OBLIGATION_KINDS, OBLIGATION_STATUSES } from "~/domain/obligations";
import { PROGRAMME_FINANCINGS } from "~/domain/programme";
import { instant } from "./json-schema";

/**
 * What the API answers about programmes, the deliveries' campaign, the comité de suivi and the calendar (issue 6):
 * the JSON the models build, described once.
 */

const flatKind = {
  typology: z.enum(TYPOLOGIES),
  financing: z.enum(PROGRAMME_FINANCINGS),
  pmr: z.boolean(),
  count: z.int(),
};
const reservataire = z.object({
  id: z.guid(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(ORGANISATION_KINDS),
});
const allocation = z.object({
  ...flatKind,
  reservataireId: z.guid().nullable(),
  reservataire: reservataire.nullable().meta({ description: "Null : la part propre du bailleur" }),
});

const programmeFields = {
  id: z.guid(),
  bailleurId: z.guid(),
  bailleurName: z.string(),
  communeInsee: z.string(),
  communeName: z.string(),
  name: z.string(),
  address: z.string(),
  firstLettingDate: z.iso.date(),
  status: z.enum(PROGRAMME_STATUSES).meta({
    description:
      "announced : livraison annoncée ; declared : déclaré aux réservataires ; split_recorded : répartition arrêtée",
  }),
  declaredAt: instant().nullable(),
  lateDeclaration: z
    .boolean()
    .meta({ description: "Déclaré moins de 3 mois avant la première mise en location" }),
  flats: z.array(z.object(flatKind)),
};

export const programmeListResponse = z.array(z.object(programmeFields));

export const programmeResponse = z.object({
  ...programmeFields,
  splitRecordedAt: instant().nullable(),
  createdAt: instant(),
  updatedAt: instant(),
  reservataires: z
    .array(reservataire.extend({ rateBp: z.int() }))
    .meta({ description: "Les réservataires qui ont un contingent sur ce bailleur, et leur taux" }),
  proposedSplit: z.array(allocation).meta({ description: "Répartition proposée à la déclaration" }),
  finalSplit: z.array(allocation).meta({ description: "Répartition arrêtée par le bailleur" }),
  recommendations: z.array(
    z.object({
      reservataireId: z.guid(),
      reservataireName: z.string(),
      text: z.string(),
      at: instant(),
      byName: z.string().nullable(),
    }),
  ),
});

export const programmeCreatedResponse = z.object({ id: z.guid(), lateDeclaration: z.boolean() });
export const programmeDeclaredResponse = z.object({ lateDeclaration: z.boolean() });
export const splitRecordedResponse = z.object({ status: z.literal("split_recorded") });
export const recommendationRecordedResponse = z.object({ status: z.literal("recorded") });

const totals = z.record(z.string(), z.int());
export const deliveriesResponse = z.object({
  period: z.object({ year: z.int(), half: z.union([z.literal(1), z.literal(2)]).nullable() }),
  from: z.iso.date(),
  to: z.iso.date(),
  programmes: z.int(),
  flats: z.int(),
  pmr: z.int(),
  byCommune: totals,
  byBailleur: totals,
  byFinancing: totals,
  byTypology: totals,
});

const campaign = z
  .string()
  .regex(/^[0-9]{4}-(may|november)$/)
  .meta({ example: "2026-may" });
export const deliveryCampaignResponse = z.object({
  campaign,
  label: z.string(),
  requests: z.array(
    z.object({
      bailleurId: z.guid(),
      bailleurName: z.string(),
      requestedAt: instant(),
      answeredAt: instant().nullable(),
    }),
  ),
});
export const deliveryCampaignSentResponse = z.object({
  campaign,
  asked: z.int(),
  alreadyAsked: z.int(),
});
export const deliveriesAnsweredResponse = z.object({ status: z.literal("answered") });

const comiteFields = {
  id: z.guid(),
  heldOn: z.iso.date(),
  heldAt: instant()
    .nullable()
    .meta({ description: "Date et heure de début (null pour les réunions plus anciennes)" }),
  place: z.string(),
  convenedAt: instant().nullable(),
  publishedAt: instant().nullable(),
};
export const comiteListResponse = z.array(z.object(comiteFields));
export const comiteResponse = z.object({
  ...comiteFields,
  agenda: z.string(),
  minutes: z.string().nullable(),
  decisions: z.string().nullable(),
  minutesRecordedAt: instant().nullable(),
  createdAt: instant(),
  invited: z.array(z.object({ id: z.guid(), name: z.string(), kind: z.enum(ORGANISATION_KINDS) })),
  published: z.boolean(),
  documents: z.array(
    z.object({
      id: z.guid(),
      filename: z.string(),
      contentType: z.string(),
      size: z.int(),
      audience: z.enum(["members", "communes"]),
      uploadedAt: instant(),
    }),
  ),
});
export const comiteCreatedResponse = z.object({ id: z.guid() });
export const comiteStepResponse = z.object({ status: z.enum(["convened", "published"]) });
export const minutesRecordedResponse = z.object({ status: z.literal("minutes_recorded") });
export const documentAttachedResponse = z.object({ id: z.guid() });

export const calendarItemResponse = z.object({
  kind: z.enum(OBLIGATION_KINDS),
  dueAt: z.iso.datetime().meta({ description: "Instant exclusif : en retard à partir de lui" }),
  status: z.enum(OBLIGATION_STATUSES).meta({
    description: "done_late : fait après l'échéance ; tacitly_accepted : avenant accepté tacitement",
  }),
  doneAt: z.iso.datetime().nullable(),
  subject: z.string(),
});
export const calendarResponse = z.array(calendarItemResponse);
