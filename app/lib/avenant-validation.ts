import { z } from "zod";
import { AVENANT_CONTEST_PARTS } from "#db/schema";

/** The inputs of the letters' steps, for the page and the API alike (same French messages). */

export const yearField = z
  .number({ error: "Indiquez l'année (year), par exemple 2026." })
  .int({ error: "L'année est un entier, par exemple 2026." })
  .min(2015, { error: "Année hors de la période des conventions." })
  .max(2100, { error: "Année hors de la période des conventions." });

/** The body of the year's steps on all the letters at once (`POST /avenants/generate`, `POST /avenants/send`). */
export const avenantYearSchema = z.object({ year: yearField });

/**
 * `?year=` of the letters' and the rates' lists, pages (/avenants, /taux-negocies) and API (`GET /avenants`) alike,
 * read by `yearQuery`; absent (or empty) when not given: the API then lists every year, the pages show the current one.
 */
export const yearQuerySchema = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/, {
      error: "Paramètre year invalide : indiquez une année sur quatre chiffres, par exemple 2026.",
    })
    .transform(Number)
    .pipe(yearField)
    .optional(),
});

export const contestSchema = z.object({
  part: z.enum(AVENANT_CONTEST_PARTS, {
    error: "Indiquez ce que vous contestez : h (l'assiette H), rate (le taux) ou both (les deux).",
  }),
  reason: z
    .string({ error: "Indiquez le motif de la contestation." })
    .trim()
    .min(10, { error: "Motivez la contestation (10 caractères au moins)." })
    .max(2000, { error: "2 000 caractères au plus." }),
});

const replyField = z
  .string({ error: "Écrivez la réponse motivée adressée au bailleur." })
  .trim()
  .min(10, { error: "Motivez la réponse (10 caractères au moins) : elle est adressée au bailleur." })
  .max(4000, { error: "4 000 caractères au plus." });

export const maintainSchema = z.object({ reply: replyField });

export const reviseSchema = z.object({
  reply: replyField,
  /** The revised rate in basis points (12,5 % = 1250); absent when the État revises H. */
  rateBp: z
    .number({ error: "Le taux révisé (rateBp) est un entier en points de base : 12,5 % s'écrit 1250." })
    .int({ error: "Le taux révisé (rateBp) est un entier en points de base : 12,5 % s'écrit 1250." })
    .min(1, { error: "Le taux révisé doit être positif." })
    .max(10_000, { error: "Le taux révisé ne peut dépasser 100 % (10000)." })
    .optional()
    .meta({ description: "Taux révisé en points de base (réservataire ; absent quand l'État révise H)" }),
});

/** A rate typed on the page, "12,5" (%), in basis points; empty when not given. */
export const percentField = z
  .string()
  .trim()
  .refine((raw) => raw === "" || /^\d{1,3}([.,]\d{1,2})?$/.test(raw), {
    error: "Indiquez un taux en %, par exemple 12,5.",
  })
  .transform((raw) => (raw === "" ? undefined : Math.round(Number(raw.replace(",", ".")) * 100)));
