import { z } from "zod";
import { CONSUMPTION_STATES } from "~/domain/consumption";
import { INSEE_CODE_PATTERN } from "~/domain/signalement";
import { parisYear } from "./dates";
import { pageField } from "./validation";

/** Filters of the reports (pages, exports and API share them). An empty field means "all". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" || value === null ? undefined : value), schema.optional());

export const reportYearField = z.coerce
  .number({ error: "Année invalide : indiquez une année sur quatre chiffres, par exemple 2026." })
  .int({ error: "Année invalide : indiquez une année sur quatre chiffres, par exemple 2026." })
  .min(2015, { error: "Année invalide : les rapports commencent en 2015." })
  .max(2100, { error: "Année invalide : indiquez une année sur quatre chiffres, par exemple 2026." });

/** A report's `?year=`: absent or blank, the current year in Paris. */
const reportYearFilter = optional(reportYearField)
  .meta({ description: "Année (par défaut l'année en cours, heure de Paris)" })
  .transform((year) => year ?? parisYear());

export const consumptionFiltersSchema = z.object({ year: reportYearFilter });

const slugField = (what: string, example: string) =>
  optional(
    z
      .string()
      .trim()
      .regex(/^[a-z0-9-]{1,80}$/, { error: `${what} inconnu : choisissez-le dans la liste (identifiant).` }),
  ).meta({ description: `Identifiant (slug) du ${what.toLowerCase()}, ex. « ${example} »` });
const communeField = optional(
  z
    .string()
    .trim()
    .regex(INSEE_CODE_PATTERN, { error: "Commune : code INSEE à 5 caractères, par exemple 59350." }),
);

/**
 * The consumption report's filters (page, exports, API): réservataire and bailleur by slug, the commune by INSEE
 * code (the pairs with attributions counted there), the state; `empty=1` shows the pairs with neither rights nor
 * attributions, which the page hides by default; `sort` / `dir` order the rows inside each réservataire.
 */
export const CONSUMPTION_SORTS = [
  "bailleur",
  "rights",
  "counted",
  "remaining",
  "projected",
  "state",
] as const;
export const consumptionQuerySchema = z.object({
  year: reportYearFilter,
  reservataire: slugField("Réservataire", "action-logement"),
  bailleur: slugField("Bailleur", "lille-metropole-habitat"),
  commune: communeField.meta({
    description: "Code INSEE : les couples ayant des attributions décomptées dans la commune",
  }),
  state: optional(
    z.enum(CONSUMPTION_STATES, {
      error: "État : on_track (à jour), behind (en retard) ou exceeded (dépassé).",
    }),
  ).meta({ description: "Suivi : on_track (à jour), behind (en retard) ou exceeded (dépassé)" }),
  empty: optional(z.enum(["0", "1"], { error: "empty : 0 ou 1." }))
    .meta({ description: "1 : inclure les couples sans droits ni attribution" })
    .transform((v) => v === "1"),
  sort: optional(z.enum(CONSUMPTION_SORTS, { error: "Tri inconnu." })),
  dir: optional(z.enum(["asc", "desc"], { error: "Ordre : asc ou desc." })),
});
export type ConsumptionQuery = z.infer<typeof consumptionQuerySchema>;

/**
 * Rows per page of /consommation: a national report has a thousand réservataire × bailleur pairs, which made a page of
 * 900 kB (58 ms of the server's CPU to render) that nobody reads down; the exports and the API keep every row.
 */
export const CONSUMPTION_PAGE_ROWS = 100;
/** The /consommation page's filters: the report's, and which page of its rows (the API answers every row). */
export const consumptionPageSchema = consumptionQuerySchema.extend({ page: pageField });

export const indicatorFiltersSchema = z.object({
  year: reportYearFilter,
  bailleur: optional(z.uuid({ error: "Bailleur inconnu : choisissez-le dans la liste (identifiant)." })),
  reservataire: optional(
    z.uuid({ error: "Réservataire inconnu : choisissez-le dans la liste (identifiant)." }),
  ),
  commune: communeField.meta({ description: "Code INSEE" }),
  qpv: optional(
    z.enum(["oui", "non", "true", "false"], {
      error: "QPV : indiquez oui ou non (ou laissez vide pour tout).",
    }),
  ).transform((v) => (v === undefined ? undefined : v === "oui" || v === "true")),
});

export type IndicatorFilters = z.infer<typeof indicatorFiltersSchema>;
