import { z } from "zod";
import { isoDayField } from "./input-fields";
import {
  blankToUndefined,
  communesWantedField,
  numeroUniqueField,
  optionalTypologyField,
  typologyWantedField,
} from "./signalement-schemas";

/** Schemas of the CRIB list (pages and API, same French messages), on the signalements' fields. */

export const cribSessionSchema = z.object({
  heldOn: isoDayField("Indiquez la date de la CRIB (AAAA-MM-JJ)."),
});

export const cribCaseSchema = z.object({
  numeroUnique: numeroUniqueField,
  originBailleurSlug: z.string({ error: "Choisissez le bailleur d'origine." }).trim().min(1, {
    error: "Choisissez le bailleur d'origine.",
  }),
  typology: typologyWantedField,
  communesWanted: communesWantedField,
});
export type CribCaseInput = z.output<typeof cribCaseSchema>;

const noteField = z
  .string()
  .trim()
  .max(2000, { error: "La note ne dépasse pas 2\u202f000 caractères." })
  .optional();

export const cribAnswerSchema = z.object({
  hasSolution: z.preprocess(
    (v) => (v === "true" || v === "oui" ? true : v === "false" || v === "non" ? false : v),
    z.boolean({ error: "Indiquez si vous avez une solution possible." }),
  ),
  flatCommune: z
    .preprocess(blankToUndefined, z.string().trim().max(5).optional())
    .meta({ description: "Code INSEE, si solution" }),
  flatTypology: optionalTypologyField,
  note: noteField,
});
export type CribAnswerInput = z.output<typeof cribAnswerSchema>;

export const cribFollowSchema = z.object({
  pilotBailleurSlug: z.preprocess(blankToUndefined, z.string().trim().optional()),
  status: z.preprocess(
    blankToUndefined,
    z.enum(["rehoused", "closed"], { error: "Issue : relogé (rehoused) ou clos (closed)." }).optional(),
  ),
  notes: noteField.meta({ description: "Notes de suivi (remplacent les précédentes)" }),
});
