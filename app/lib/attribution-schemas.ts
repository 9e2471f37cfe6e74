import { z } from "zod";
import {
  ATTRIBUTION_CONTINGENT_LABELS,
  ATTRIBUTION_CONTINGENTS,
  ELIGIBILITIES,
  ELIGIBILITY_LABELS,
  TRANSFER_LABELS,
  TRANSFERS,
} from "~/domain/attribution";
import {
  CONSTRUCTION_PERIOD_LABELS,
  CONSTRUCTION_PERIODS,
  FINANCING_LABELS,
  FINANCINGS,
  TYPOLOGIES,
  TYPOLOGY_LABELS,
} from "~/domain/housing";
import { REHOUSING_LABELS, REHOUSINGS } from "~/domain/publics";
import { normaliseQpvCode, QPV_CODE_HINT, QPV_CODE_PATTERN } from "~/domain/qpv";
import { INSEE_CODE_PATTERN, PUBLIC_CATEGORIES, PUBLIC_CATEGORY_LABELS } from "~/domain/signalement";
import { isoDayField } from "./input-fields";
import { fromZod } from "./json-schema";
import { numeroUniqueField } from "./signalement-schemas";

/**
 * The shape of one attribution, shared by the form (react-hook-form), the file import and the API: the same French
 * messages everywhere. Values may be typed as codes (`dalo_labellise`) or as their French labels (« DALO labellisé »),
 * booleans as oui/non, dates as 2025-01-15 or 15/01/2025 (a spreadsheet's date cell too). The rules that need the
 * database (commune, contingent held on the bailleur, date in the future) are in `resolveAttribution`.
 */

/** Lower case, without accents, spaces nor punctuation: how headers and values are compared. */
export const fold = (value: string) =>
  value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

const text = (v: unknown) => (v === null || v === undefined ? "" : String(v).trim());

function choice<const T extends string>(values: readonly T[], labels: Record<T, string>, message: string) {
  // Exact codes first (most rows of a file): folding costs a Unicode normalisation per cell.
  const exact = new Map<string, T>(values.map((value) => [value, value]));
  const byFolded = new Map<string, T>();
  for (const value of values) {
    byFolded.set(fold(value), value);
    byFolded.set(fold(labels[value]), value);
  }
  return z.preprocess(
    (v) => {
      const raw = text(v);
      return exact.get(raw) ?? byFolded.get(fold(raw)) ?? raw;
    },
    z.enum(values, { error: message }),
  );
}

const TRUE = new Set(["oui", "o", "vrai", "true", "1", "x"]);
// Compared lower-cased (no accent in these words).
const FALSE = new Set(["non", "n", "faux", "false", "0"]);
const yesNo = (what: string) =>
  z.preprocess(
    (v) => {
      if (typeof v === "boolean") return v;
      const folded = text(v).toLowerCase();
      return TRUE.has(folded) ? true : FALSE.has(folded) ? false : v;
    },
    z.boolean({ error: `${what} : indiquez oui ou non.` }),
  );

/**
 * A date written YYYY-MM-DD, from 2025-01-15, 15/01/2025 or a spreadsheet date (read at UTC midnight); whether the day
 * exists is checked by `isoDayField`.
 */
function isoDate(v: unknown): string {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "" : v.toISOString().slice(0, 10);
  const raw = text(v);
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  return french ? `${french[3]}-${french[2]!.padStart(2, "0")}-${french[1]!.padStart(2, "0")}` : raw;
}

/** An optional whole number (empty cell: undefined); "Q2" is read as 2 for quartiles. */
const optionalCount = (min: number, max: number, message: string) =>
  z.preprocess(
    (v) => (text(v) === "" ? undefined : typeof v === "number" ? v : Number(text(v).replace(/^Q/i, ""))),
    z
      .number({ error: message })
      .int({ error: message })
      .min(min, { error: message })
      .max(max, { error: message })
      .optional(),
  );

export const attributionSchema = z.object({
  numeroUnique: z.preprocess(text, numeroUniqueField),
  leaseDate: z.preprocess(
    isoDate,
    isoDayField("Date du bail invalide : écrivez-la 15/01/2025 ou 2025-01-15.").refine(
      (v) => v >= "2000-01-01",
      { error: "Date du bail invalide : avant l'an 2000." },
    ),
  ),
  bailleurSlug: z.preprocess(
    text,
    z.string().min(1, { error: "Indiquez l'identifiant du bailleur (par exemple « vilogia »)." }),
  ),
  communeInsee: z.preprocess(
    text,
    z.string().regex(INSEE_CODE_PATTERN, {
      error: "Code INSEE de la commune invalide : 5 caractères, par exemple 59350 pour Lille.",
    }),
  ),
  qpv: yesNo("Logement en QPV"),
  // Optional (decision 0025): an empty cell is « quartier non renseigné ».
  qpvCode: z.preprocess(
    (v) => (text(v) === "" ? null : normaliseQpvCode(text(v))),
    z
      .string()
      .regex(QPV_CODE_PATTERN, {
        error: `Code du quartier prioritaire invalide : ${QPV_CODE_HINT}, ou vide.`,
      })
      .nullable(),
  ),
  typology: choice(
    TYPOLOGIES,
    TYPOLOGY_LABELS,
    "Typologie inconnue : T1, T2, T3, T4, T5 ou T6 (6 pièces et plus).",
  ),
  financing: choice(FINANCINGS, FINANCING_LABELS, "Financement inconnu : PLAI, PLUS, PLS, PLI ou autre."),
  pmr: yesNo("Logement PMR"),
  firstLetting: yesNo("Première mise en location"),
  constructionPeriod: choice(
    CONSTRUCTION_PERIODS,
    CONSTRUCTION_PERIOD_LABELS,
    `Période de construction inconnue : ${CONSTRUCTION_PERIODS.join(", ")}.`,
  ),
  publicCategory: choice(
    PUBLIC_CATEGORIES,
    PUBLIC_CATEGORY_LABELS,
    `Public inconnu : ${PUBLIC_CATEGORIES.join(", ")}.`,
  ),
  transfer: choice(TRANSFERS, TRANSFER_LABELS, `Mutation inconnue : ${TRANSFERS.join(", ")}.`),
  incomeQuartile: optionalCount(
    1,
    4,
    "Quartile de ressources : 1, 2, 3 ou 4 (ou vide si inconnu).",
  ).transform((v) => v ?? null),
  refusalsAfterCaleol: optionalCount(
    0,
    99,
    "Refus après le courrier de décision de la CALEOL : un nombre entier de 0 à 99.",
  ).transform((v) => v ?? 0),
  contingent: choice(
    ATTRIBUTION_CONTINGENTS,
    ATTRIBUTION_CONTINGENT_LABELS,
    `Contingent inconnu : ${ATTRIBUTION_CONTINGENTS.join(", ")}.`,
  ),
  // Optional columns (issue 15): an empty cell is « none » / no eligibility.
  rehousing: z.preprocess(
    (v) => (text(v) === "" ? "none" : v),
    choice(REHOUSINGS, REHOUSING_LABELS, `Relogement inconnu : ${REHOUSINGS.join(", ")}.`),
  ),
  eligibility: z.preprocess(
    (v) => (text(v) === "" ? null : v),
    choice(
      ELIGIBILITIES,
      ELIGIBILITY_LABELS,
      `Éligibilité inconnue : ${ELIGIBILITIES.join(", ")} (ou vide).`,
    ).nullable(),
  ),
});
export type AttributionRowInput = z.output<typeof attributionSchema>;
export type AttributionField = keyof AttributionRowInput;

/**
 * Import files are refused above 20 MB (413). A bailleur's yearly file is far smaller (the whole MEL lets about
 * 7 000 flats a year: under 1 MB of CSV); 20 MB holds about 150 000 rows of CSV, more than a national-scale
 * bailleur's year, while keeping the file, its decoded text and its rows comfortably in the server's memory.
 */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/**
 * The API's batch body (`POST /api/v1/attributions`). Rows are checked one by one by `attributionSchema`, to name each
 * row's errors; the meta gives clients that row's JSON Schema.
 */
export const MAX_BATCH_ROWS = 200_000;
export const attributionBatchSchema = z.object({
  attributions: z
    .array(z.unknown().meta(fromZod(attributionSchema)), {
      error: "Envoyez { attributions: [ … ] } : une liste d'attributions.",
    })
    .min(1, { error: "La liste d'attributions est vide." })
    .max(MAX_BATCH_ROWS, {
      error: `${MAX_BATCH_ROWS} attributions au plus par envoi : découpez le fichier.`,
    }),
});

/**
 * The import template's columns (CSV and XLSX), in order, with a French header and an example row. The bailleur is
 * the importing organisation: no column. The last two columns may be left empty (quartile unknown, no refusal).
 */
export const ATTRIBUTION_COLUMNS: ReadonlyArray<{
  field: Exclude<AttributionField, "bailleurSlug">;
  header: string;
  example: string;
  optional?: true;
}> = [
  { field: "numeroUnique", header: "Numéro unique", example: "059 2401 00123 A" },
  { field: "leaseDate", header: "Date du bail", example: "15/01/2025" },
  { field: "communeInsee", header: "Code INSEE de la commune", example: "59350" },
  { field: "qpv", header: "En QPV", example: "non" },
  { field: "qpvCode", header: "Code QPV", example: "", optional: true },
  { field: "typology", header: "Typologie", example: "T3" },
  { field: "financing", header: "Financement", example: "PLUS" },
  { field: "pmr", header: "PMR", example: "non" },
  { field: "firstLetting", header: "Première mise en location", example: "non" },
  { field: "constructionPeriod", header: "Période de construction", example: "1975_1989" },
  { field: "publicCategory", header: "Public", example: "dalo_labellise" },
  { field: "transfer", header: "Mutation", example: "none" },
  { field: "incomeQuartile", header: "Quartile de ressources", example: "1", optional: true },
  { field: "refusalsAfterCaleol", header: "Refus après courrier CALEOL", example: "0", optional: true },
  { field: "contingent", header: "Contingent", example: "mel" },
  { field: "rehousing", header: "Relogement", example: "none", optional: true },
  { field: "eligibility", header: "Éligibilité ALS / SICF", example: "", optional: true },
];

/** The French header of a field, for "ligne N, colonne X" messages. */
export const headerOf = (field: string) =>
  ATTRIBUTION_COLUMNS.find((c) => c.field === field)?.header ??
  (field === "bailleurSlug" ? "Bailleur" : field);

/** The accepted values of each coded column, for the template's second sheet and the import page. */
export const ATTRIBUTION_CODES: ReadonlyArray<{ header: string; values: ReadonlyArray<[string, string]> }> = [
  { header: "Typologie", values: TYPOLOGIES.map((v) => [v, TYPOLOGY_LABELS[v]]) },
  { header: "Financement", values: FINANCINGS.map((v) => [v, FINANCING_LABELS[v]]) },
  {
    header: "Période de construction",
    values: CONSTRUCTION_PERIODS.map((v) => [v, CONSTRUCTION_PERIOD_LABELS[v]]),
  },
  { header: "Public", values: PUBLIC_CATEGORIES.map((v) => [v, PUBLIC_CATEGORY_LABELS[v]]) },
  { header: "Mutation", values: TRANSFERS.map((v) => [v, TRANSFER_LABELS[v]]) },
  {
    header: "Contingent",
    values: ATTRIBUTION_CONTINGENTS.map((v) => [v, ATTRIBUTION_CONTINGENT_LABELS[v]]),
  },
  { header: "Relogement", values: REHOUSINGS.map((v) => [v, REHOUSING_LABELS[v]]) },
  { header: "Éligibilité ALS / SICF", values: ELIGIBILITIES.map((v) => [v, ELIGIBILITY_LABELS[v]]) },
];

export const attributionFiltersSchema = z.object({
  year: z.preprocess(
    (v) => (text(v) === "" ? undefined : Number(text(v))),
    z.number({ error: "Année invalide." }).int({ error: "Année invalide." }).min(2000).max(2100).optional(),
  ),
  bailleur: z.preprocess((v) => text(v) || undefined, z.string().max(80).optional()),
  /** The réservataire the attributions count on (slug): the consumption report's rows open this list. */
  reservataire: z.preprocess((v) => text(v) || undefined, z.string().max(80).optional()),
  contingent: z.preprocess(
    (v) => text(v) || undefined,
    z.enum(ATTRIBUTION_CONTINGENTS, { error: "Contingent inconnu." }).optional(),
  ),
  commune: z.preprocess(
    (v) => text(v) || undefined,
    z.string().regex(INSEE_CODE_PATTERN, { error: "Code INSEE invalide." }).optional(),
  ),
  numeroUnique: z.preprocess((v) => text(v) || undefined, z.string().max(40).optional()),
  cursor: z
    .preprocess((v) => text(v) || undefined, z.string().max(200).optional())
    .meta({ description: "nextCursor de la page précédente" }),
});
export type AttributionFilters = z.output<typeof attributionFiltersSchema>;
