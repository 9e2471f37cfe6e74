import { z } from "zod";
import { ANNEX_YEARS, MANAGEMENT_MODES } from "~/domain/convention";
import { int4 } from "./input-fields";
import { type FieldErrors, fieldErrors } from "./validation";

/**
 * The input of a convention bilatérale (model of Annex 2, 004 lines 560–806) and of the convention cadre, for the API
 * (JSON) and the form (FormData turned into the same shape by `bilateralFromForm`): same French messages.
 */

const year = z
  .number({ error: "Indiquez une année sur quatre chiffres, par exemple 2024." })
  .int({ error: "Indiquez une année sur quatre chiffres, par exemple 2024." })
  .min(2015, { error: "Année hors de la période des conventions (2015 à 2100)." })
  .max(2100, { error: "Année hors de la période des conventions (2015 à 2100)." });

const pct = z
  .number({ error: "Indiquez un pourcentage entier entre 0 et 100." })
  .int({ error: "Indiquez un pourcentage entier entre 0 et 100." })
  .min(0, { error: "Indiquez un pourcentage entier entre 0 et 100." })
  .max(100, { error: "Indiquez un pourcentage entier entre 0 et 100." });

const euros = int4("Indiquez un montant en euros, entier et positif ou nul.").min(0, {
  error: "Indiquez un montant en euros, entier et positif ou nul.",
});

/** An art. 2 count of attributions (004 l. 585–587), optional: left blank, it is null. */
const attributionsCount = z
  .number({ error: "Indiquez un nombre entier d'attributions, positif ou nul." })
  .int({ error: "Indiquez un nombre entier d'attributions, positif ou nul." })
  .min(0, { error: "Indiquez un nombre entier d'attributions, positif ou nul." })
  .nullish();

const subsidy = z.object({ totalEur: euros, paidEur: euros });

export const financialAnnexSchema = z
  .object({
    years: z
      .array(z.object({ year, expiredEur: euros, newGuaranteedEur: euros }))
      .length(ANNEX_YEARS.length, { error: "L'annexe financière donne une ligne par année de 2015 à 2023." })
      .meta({ description: `Une ligne par année de ${ANNEX_YEARS[0]} à ${ANNEX_YEARS.at(-1)}` }),
    guaranteeRatePct: pct,
    subsidies: z
      .object({ plai: subsidy, plus: subsidy })
      .meta({ description: "Montant payé ≤ montant total" }),
  })
  .meta({
    description:
      "Annexe 2 du modèle, propre aux conventions de la MEL (obligatoire pour elle, refusée sinon).",
  });

export const publicsSchema = z.object({ ciaTargetsPct: pct, daloPct: pct, mbcPct: pct }).meta({
  description:
    "En % du contingent : publics cibles de la CIA, dont DALO-PDALHPD et mutations bloquées/complexes labellisées ; le reste aux autres demandes. MEL : 50, ≥ 25, ≥ 15. Autres réservataires (sauf SICF) : DALO ≥ 25.",
});

const period = {
  startYear: year,
  endYear: year,
};

export const bilateralSchema = z
  .object({
    kind: z.literal("bilaterale"),
    bailleurId: z.uuid({ error: "Choisissez le bailleur (bailleurId)." }),
    ...period,
    rateBp: int4("Indiquez le taux en points de base (rateBp), par exemple 2000 pour 20 %.").meta({
      description:
        "Taux total du réservataire en points de base (20 % = 2000 ; Action Logement : rétrocession de 1,3 % comprise). Refusé (422) s'il dépasse un plafond sur le bailleur une année de la période : 100 % pour tous les taux, 20 % pour les collectivités, 25 % pour Action Logement hors rétrocession, 25 % pour la SICF (sur ICF Habitat Nord-Est seulement) sauf convention SICF–ICF signée ; le Département seulement là où un avenant à la convention cadre l'a activé",
    }),
    management: z.enum(MANAGEMENT_MODES, {
      error:
        "Mode de gestion (management) : « direct » pour la gestion directe ou « delegated » pour la gestion déléguée au bailleur.",
    }),
    publics: publicsSchema,
    fluxVolume: attributionsCount.meta({
      description: "Art. 2 : flux d'attributions du bailleur la première année (facultatif)",
    }),
    initialRights: attributionsCount.meta({
      description: "Art. 2 : attributions réservées au 1er janvier de la première année, ≤ fluxVolume",
    }),
    financialAnnex: financialAnnexSchema.optional(),
  })
  .refine((v) => v.endYear >= v.startYear, {
    path: ["endYear"],
    error: "La fin de la période précède son début.",
  });

export const cadreSchema = z
  .object({ kind: z.literal("cadre"), ...period })
  .refine((v) => v.endYear >= v.startYear, {
    path: ["endYear"],
    error: "La fin de la période précède son début.",
  });

const endAfterStart = (v: { startYear: number; endYear: number }) => v.endYear >= v.startYear;
const endBeforeStart = { path: ["endYear"], error: "La fin de la période précède son début." };

/** The avenant to the convention cadre that activates the Département's contingent on a bailleur (004 l.188–192). */
export const departementActivationSchema = z
  .object({
    kind: z.literal("activation_departement"),
    bailleurId: z.uuid({ error: "Choisissez le bailleur (bailleurId)." }),
    ...period,
  })
  .refine(endAfterStart, endBeforeStart)
  .meta({
    description:
      "MEL : avenant à la convention cadre activant le contingent du Département sur un bailleur (004 l.188–192), signé par les signataires de la convention cadre",
  });

/** A guaranteeing commune's share of the MEL's 20 % on a bailleur, signed by the three (004 l.178). */
export const communeShareSchema = z
  .object({
    kind: z.literal("part_communale"),
    bailleurId: z.uuid({ error: "Choisissez le bailleur (bailleurId)." }),
    communeId: z.uuid({ error: "Choisissez la commune garante (communeId)." }),
    ...period,
    rateBp: int4("Indiquez la part en points de base (rateBp), par exemple 500 pour 5 %.").min(1, {
      error: "Une part communale est supérieure à 0 %.",
    }),
  })
  .refine(endAfterStart, endBeforeStart)
  .meta({
    description:
      "MEL : part d'une commune garante prise sur les 20 % de la MEL chez un bailleur (004 l.178), signée par la commune, le bailleur et la MEL",
  });

export const conventionInputSchema = z.discriminatedUnion(
  "kind",
  [bilateralSchema, cadreSchema, departementActivationSchema, communeShareSchema],
  {
    error:
      "Indiquez le type de convention (kind) : « bilaterale », « cadre », « activation_departement » ou « part_communale ».",
  },
);

export type BilateralInput = z.output<typeof bilateralSchema>;
export type DepartementActivationInput = z.output<typeof departementActivationSchema>;
export type CommuneShareInput = z.output<typeof communeShareSchema>;
export type ConventionInput = z.output<typeof conventionInputSchema>;

/** A number typed in a form, or the raw text (which the schema then refuses with its message). */
const numberOf = (value: unknown) => {
  const text = typeof value === "string" ? value.trim().replace(/\s/g, "").replace(",", ".") : "";
  return text !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
};

/** The MEL's forms (years and a percentage `rate` as text) in the API's shape, checked by the API's schemas. */
const fromMelForm = (values: unknown) => {
  const { rate, startYear, endYear, ...rest } = values as Record<string, unknown>;
  const percent = numberOf(rate);
  return {
    ...rest,
    startYear: numberOf(startYear),
    endYear: numberOf(endYear),
    ...(rate === undefined
      ? {}
      : { rateBp: typeof percent === "number" ? Math.round(percent * 100) : percent }),
  };
};
export const departementActivationFormSchema = z.preprocess(fromMelForm, departementActivationSchema);
export const communeShareFormSchema = z.preprocess(fromMelForm, communeShareSchema);

/** The draft form's fields in the API's shape; the annex only when the form carries it (the MEL's). */
function bilateralFromForm(formData: FormData) {
  const get = (name: string) => formData.get(name);
  const rate = numberOf(get("rate"));
  const withAnnex = get("guaranteeRatePct") !== null;
  const optional = (name: string) => (get(name) === null || get(name) === "" ? null : numberOf(get(name)));
  return {
    kind: "bilaterale",
    bailleurId: get("bailleurId"),
    startYear: numberOf(get("startYear")),
    endYear: numberOf(get("endYear")),
    rateBp: typeof rate === "number" ? Math.round(rate * 100) : rate,
    management: get("management"),
    publics: {
      ciaTargetsPct: numberOf(get("ciaTargetsPct")),
      daloPct: numberOf(get("daloPct")),
      mbcPct: numberOf(get("mbcPct")),
    },
    fluxVolume: optional("fluxVolume"),
    initialRights: optional("initialRights"),
    financialAnnex: withAnnex
      ? {
          years: ANNEX_YEARS.map((y) => ({
            year: y,
            expiredEur: numberOf(get(`expired-${y}`)),
            newGuaranteedEur: numberOf(get(`guaranteed-${y}`)),
          })),
          guaranteeRatePct: numberOf(get("guaranteeRatePct")),
          subsidies: {
            plai: { totalEur: numberOf(get("plaiTotal")), paidEur: numberOf(get("plaiPaid")) },
            plus: { totalEur: numberOf(get("plusTotal")), paidEur: numberOf(get("plusPaid")) },
          },
        }
      : undefined,
  };
}

/** The draft form parsed with the API's schema: errors keyed like the API's (`publics.daloPct`). */
export function parseBilateralForm(
  formData: FormData,
): { ok: true; data: BilateralInput } | { ok: false; errors: FieldErrors } {
  const parsed = bilateralSchema.safeParse(bilateralFromForm(formData));
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: fieldErrors(parsed.error) };
}
