import { z } from "zod";
import { INSEE_CODE_PATTERN, TYPOLOGIES } from "~/domain/signalement";
import { numeroUniqueField } from "./signalement-schemas";

/** Schemas of the CRIB list (pages and API, same French messages). */

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const cribSessionSchema = z.object({
  heldOn: z
    .string({ error: "Indiquez la date de la CRIB." })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Indiquez la date de la CRIB (AAAA-MM-JJ)." }),
});

export const cribCaseSchema = z.object({
  numeroUnique: numeroUniqueField,
  originBailleurSlug: z.string({ error: "Choisissez le bailleur d'origine." }).trim().min(1, {
    error: "Choisissez le bailleur d'origine.",
  }),
  typology: z.enum(TYPOLOGIES, { error: "Choisissez la typologie souhaitée (T1 à T6 et plus)." }),
  communesWanted: z
    .array(
      z.string().trim().regex(INSEE_CODE_PATTERN, { error: "Code INSEE à 5 caractères, par exemple 59350." }),
      {
        error: "Indiquez au moins une commune souhaitée.",
      },
    )
    .min(1, { error: "Indiquez au moins une commune souhaitée." }),
});
export type CribCaseInput = z.output<typeof cribCaseSchema>;

export const cribAnswerSchema = z.object({
  hasSolution: z.preprocess(
    (v) => (v === "true" || v === "oui" ? true : v === "false" || v === "non" ? false : v),
    z.boolean({ error: "Indiquez si vous avez une solution possible." }),
  ),
  flatCommune: z.preprocess(blankToUndefined, z.string().trim().max(5).optional()),
  flatTypology: z.preprocess(
    blankToUndefined,
    z.enum(TYPOLOGIES, { error: "Typologie : T1 à T6." }).optional(),
  ),
});
export type CribAnswerInput = z.output<typeof cribAnswerSchema>;

export const cribFollowSchema = z.object({
  pilotBailleurSlug: z.preprocess(blankToUndefined, z.string().trim().optional()),
  status: z.preprocess(
    blankToUndefined,
    z.enum(["rehoused", "closed"], { error: "Issue : relogé (rehoused) ou clos (closed)." }).optional(),
  ),
});
