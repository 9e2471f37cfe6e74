import { z } from "zod";
import { API_TOKEN_SCOPES, ORGANISATION_KINDS, ROLES } from "#db/schema";

/** Schemas shared by the forms (react-hook-form) and the server (same messages on both sides). */

export const emailField = z
  .string({ error: "Indiquez une adresse e-mail." })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Adresse e-mail invalide : elle doit ressembler à prenom.nom@exemple.fr." }));

export const newPasswordField = z
  .string({ error: "Choisissez un mot de passe." })
  .min(12, { error: "Le mot de passe doit compter au moins 12 caractères." })
  .max(200, { error: "Le mot de passe ne doit pas dépasser 200 caractères." });

export const rolesField = z
  .array(z.enum(ROLES, { error: "Rôle inconnu." }), { error: "Choisissez au moins un rôle." })
  .min(1, { error: "Choisissez au moins un rôle." });

export const loginSchema = z.object({
  email: emailField,
  password: z
    .string({ error: "Indiquez votre mot de passe." })
    .min(1, { error: "Indiquez votre mot de passe." }),
});

export const invitationSchema = z.object({ email: emailField, roles: rolesField });

export const acceptInvitationSchema = z
  .object({
    name: z
      .string({ error: "Indiquez vos prénom et nom." })
      .trim()
      .min(2, { error: "Indiquez vos prénom et nom." })
      .max(120, { error: "120 caractères au plus." }),
    password: newPasswordField,
    confirmation: z.string(),
  })
  .refine((v) => v.password === v.confirmation, {
    path: ["confirmation"],
    error: "Les deux mots de passe ne sont pas identiques.",
  });

export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: "Indiquez votre mot de passe actuel." })
      .min(1, { error: "Indiquez votre mot de passe actuel." }),
    password: newPasswordField,
    confirmation: z.string(),
  })
  .refine((v) => v.password === v.confirmation, {
    path: ["confirmation"],
    error: "Les deux mots de passe ne sont pas identiques.",
  });

export const resetRequestSchema = z.object({ email: emailField });

export const resetPasswordSchema = z
  .object({ password: newPasswordField, confirmation: z.string() })
  .refine((v) => v.password === v.confirmation, {
    path: ["confirmation"],
    error: "Les deux mots de passe ne sont pas identiques.",
  });

/** An API token lives 90 days unless its owner asks otherwise, a year at most: a lost token stops working by itself. */
export const API_TOKEN_DEFAULT_DAYS = 90;
export const API_TOKEN_MAX_DAYS = 365;

export const apiTokenSchema = z.object({
  name: z
    .string({ error: "Nommez le jeton." })
    .trim()
    .min(2, {
      error: "Nommez le jeton (2 caractères au moins), par exemple « Logiciel de gestion locative ».",
    })
    .max(80, { error: "80 caractères au plus." }),
  scope: z.enum(API_TOKEN_SCOPES, { error: "Choisissez « lecture » ou « lecture et écriture »." }),
  expiresInDays: z.coerce
    .number({ error: "Indiquez une durée en jours." })
    .int({ error: "Indiquez un nombre entier de jours." })
    .min(1, { error: "Un jour au moins." })
    .max(API_TOKEN_MAX_DAYS, { error: `${API_TOKEN_MAX_DAYS} jours (un an) au plus.` })
    .default(API_TOKEN_DEFAULT_DAYS),
});

export const ROLE_LABELS: Record<(typeof ROLES)[number], string> = {
  admin: "Administrateur",
  signataire: "Signataire",
  gestionnaire: "Gestionnaire",
  lecteur: "Lecteur",
};

const PAGE_ERROR = "Page invalide : indiquez un numéro de page à partir de 1.";
/** A list's `?page=`: absent or blank, the first. */
export const pageField = z
  .preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    z.coerce
      .number({ error: PAGE_ERROR })
      .int({ error: PAGE_ERROR })
      .min(1, { error: PAGE_ERROR })
      .optional(),
  )
  .transform((page) => page ?? 1);

export type FieldErrors = Record<string, string>;

/** First message per field, keyed by the field's path ("roles", "confirmation"…). */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Parses FormData (repeated keys become arrays for array fields) against a schema. */
export function parseFormData<S extends z.ZodType>(
  formData: FormData,
  schema: S,
  arrayFields: string[] = [],
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    raw[key] = arrayFields.includes(key) ? formData.getAll(key) : formData.get(key);
  }
  for (const key of arrayFields) raw[key] ??= [];
  const result = schema.safeParse(raw);
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: fieldErrors(result.error) };
}

export const organisationSchema = z.object({
  kind: z.enum(ORGANISATION_KINDS, { error: "Choisissez le type d'organisation." }),
  name: z
    .string()
    .trim()
    .min(2, { error: "Indiquez le nom de l'organisation." })
    .max(160, { error: "160 caractères au plus." }),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
      error:
        "Identifiant : lettres minuscules sans accent, chiffres et tirets, par exemple « habitat-exemple ».",
    }),
  inseeCode: z
    .string()
    .trim()
    .regex(/^(\d{5}|2[AB]\d{3})?$/, { error: "Code INSEE : 5 caractères, par exemple 59350." })
    .transform((v) => v || null),
  siren: z
    .string()
    .trim()
    .regex(/^(\d{9})?$/, { error: "SIREN : 9 chiffres." })
    .transform((v) => v || null),
});
