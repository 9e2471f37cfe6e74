import { z } from "zod";
import { INSEE_CODE_PATTERN } from "~/domain/signalement";

/** Filters of the reports (pages, exports and API share them). An empty field means "all". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" || value === null ? undefined : value), schema.optional());

export const reportYearField = z.coerce
  .number({ error: "Année invalide : indiquez une année sur quatre chiffres, par exemple 2026." })
  .int({ error: "Année invalide : indiquez une année sur quatre chiffres, par exemple 2026." })
  .min(2015, { error: "Année invalide : les rapports commencent en 2015." })
  .max(2100, { error: "Année invalide : indiquez une année sur quatre chiffres, par exemple 2026." });

export const consumptionFiltersSchema = z.object({ year: reportYearField });

export const indicatorFiltersSchema = z.object({
  year: reportYearField,
  bailleur: optional(z.uuid({ error: "Bailleur inconnu : choisissez-le dans la liste (identifiant)." })),
  reservataire: optional(
    z.uuid({ error: "Réservataire inconnu : choisissez-le dans la liste (identifiant)." }),
  ),
  commune: optional(
    z
      .string()
      .trim()
      .regex(INSEE_CODE_PATTERN, { error: "Commune : code INSEE à 5 caractères, par exemple 59350." }),
  ),
  qpv: optional(
    z.enum(["oui", "non", "true", "false"], {
      error: "QPV : indiquez oui ou non (ou laissez vide pour tout).",
    }),
  ).transform((v) => (v === undefined ? undefined : v === "oui" || v === "true")),
});

export type IndicatorFilters = z.infer<typeof indicatorFiltersSchema>;
