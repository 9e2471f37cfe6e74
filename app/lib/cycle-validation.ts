import { z } from "zod";
import { FORECAST_COLUMNS } from "~/domain/rights";
import { int4 } from "./input-fields";

/** Schemas of the yearly cycle's forms, shared by react-hook-form and the server (same French messages). */

const countField = (label: string) =>
  int4(`${label} : indiquez un nombre entier d'attributions, positif ou nul.`, { coerce: true }).min(0, {
    error: `${label} : indiquez un nombre entier d'attributions, positif ou nul.`,
  });

const label = (key: string) => FORECAST_COLUMNS.find((c) => c.key === key)!.label.slice(0, 3);

export const forecastFormSchema = z
  .object({
    a: countField(label("a")),
    b: countField(label("b")),
    c: countField(label("c")),
    d: countField(label("d")),
    e: countField(label("e")),
    f: countField(label("f")),
    g: countField(label("g")),
  })
  .refine((v) => v.c + v.d + v.e + v.f + v.g <= v.a, {
    path: ["a"],
    error: "C + D + E + F + G dépasse A : l'assiette H serait négative. Vérifiez les colonnes.",
  })
  .refine((v) => v.b <= v.a, {
    path: ["b"],
    error: "(B) ne peut pas dépasser (A) : les premières mises en location font partie du total.",
  });

/** A rate typed in percent ("12,5") and stored in basis points. */
export const rateFormSchema = z.object({
  bailleurId: z.uuid({ error: "Choisissez un bailleur." }),
  rate: z
    .string({ error: "Indiquez un taux en %." })
    .trim()
    .regex(/^\d{1,3}([.,]\d{1,2})?$/, { error: "Indiquez un taux en %, par exemple 12,5." })
    .transform((v) => Math.round(Number(v.replace(",", ".")) * 100)),
});

/** "28,7 %" from basis points. */
export const formatRate = (bp: number) =>
  `${(bp / 100).toLocaleString("fr-FR", { maximumFractionDigits: 2 })} %`;

export const CONTINGENT_LABELS = {
  etat: "État (28,7 %)",
  action_logement_retrocession: "ALS rétrocession (1,3 %)",
  action_logement: "ALS contingent",
  sicf: "SICF",
  mel: "MEL (20 %)",
  departement: "Département",
} as const;

export const FORECAST_STATUS_LABELS = {
  draft: "Brouillon",
  submitted: "Transmise",
  validated: "Validée",
  missing: "Non saisie",
} as const;

// The API's bodies and queries of the yearly cycle (each route parses with one of these; the OpenAPI document is
// generated from them).

/** `POST /assiettes/{year}/publish`: the body may be empty. */
export const assiettePublishSchema = z.object({
  confirmIncomplete: z
    .boolean({ error: "confirmIncomplete doit valoir true ou false." })
    .optional()
    .meta({ description: "Obligatoire (true) tant que des bailleurs n'ont pas transmis leur prévision" }),
});

/**
 * `POST /assiettes/{year}/rectify`. The reason is checked by the model (`rectifyReasonError`, the same for the page,
 * which names what is missing); the metas describe that check to API clients.
 */
export const assietteRectifySchema = z
  .object({ reason: z.unknown().optional().meta({ type: "string", minLength: 10, maxLength: 2000 }) })
  .meta({ required: ["reason"] });

/** `?version=` of an assiette: absent (the latest published), or a positive whole number. */
export const assietteQuerySchema = z.object({
  version: z
    .string()
    .regex(/^\d{1,4}$/)
    .refine((v) => Number(v) >= 1)
    .transform(Number)
    .optional()
    .meta({ description: "Une version publiée (la dernière par défaut) ; les précédentes restent lisibles" }),
});

/**
 * Columns A to G of a forecast, as a bailleur enters them and as the État corrects them. Each count must be present;
 * its value is checked by the model (`forecastErrors`, the same for the page, a French message per column); the meta
 * describes that check to API clients.
 */
const forecastCount = z.unknown().meta({ type: "integer", minimum: 0 });
const forecastColumns = {
  a: forecastCount,
  b: forecastCount,
  c: forecastCount,
  d: forecastCount,
  e: forecastCount,
  f: forecastCount,
  g: forecastCount,
};
const forecastRule = {
  description:
    "Colonnes A à G de l'annexe 1 (nombres entiers d'attributions) ; C + D + E + F + G ≤ A, B ≤ A.",
};

/** `PUT /forecasts/{year}`: the bailleur's own forecast. */
export const forecastBodySchema = z
  .object({
    ...forecastColumns,
    submit: z
      .boolean({ error: "submit doit valoir true ou false." })
      .default(true)
      .meta({ description: "false : brouillon modifiable ; sinon transmise aux services de l'État" }),
  })
  .meta(forecastRule);

/** `POST /assiettes/{year}/correct`: the État corrects a bailleur's columns, as the assiette page's « Corriger ». */
export const correctForecastBodySchema = z
  .object({
    bailleurId: z.uuid({ error: "Indiquez le bailleur (bailleurId, son identifiant UUID)." }),
    ...forecastColumns,
  })
  .meta(forecastRule);

/** `POST /assiettes/{year}/validate`: the État validates a submitted forecast, as the page's « Valider ». */
export const validateForecastBodySchema = z.object({
  forecastId: z.uuid({ error: "Indiquez la prévision (forecastId, son identifiant UUID)." }),
});
