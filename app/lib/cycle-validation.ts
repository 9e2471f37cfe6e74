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

const forecastColumns = {
  a: z.unknown(),
  b: z.unknown(),
  c: z.unknown(),
  d: z.unknown(),
  e: z.unknown(),
  f: z.unknown(),
  g: z.unknown(),
};

/**
 * The bodies of the État's steps on a year's forecasts in the API, as the assiette page's forms: the counts are
 * checked by the model (`forecastErrors`, the same French messages per column as a bailleur's forecast).
 */
export const correctForecastBodySchema = z.object({
  bailleurId: z.uuid({ error: "Indiquez le bailleur (bailleurId, son identifiant UUID)." }),
  ...forecastColumns,
});

export const validateForecastBodySchema = z.object({
  forecastId: z.uuid({ error: "Indiquez la prévision (forecastId, son identifiant UUID)." }),
});
