/**
 * The quartiers prioritaires de la politique de la ville (QPV) of the MEL, as the MEL loads them from the official
 * list (decree of 28 December 2023, quartiers 2024), and the rules an attribution's QPV code meets (decision 0025).
 * No list is shipped: the codes and names come from the MEL's file. Pure rules: no database, no framework.
 */

import { INSEE_CODE_PATTERN } from "./signalement";

/**
 * A plausible official code (« QN05901M »-like): upper-case letters and digits, 6 to 12 characters. Loose on purpose:
 * the national numbering has changed between lists, and the MEL's file is the authority, not this pattern.
 */
export const QPV_CODE_PATTERN = /^[A-Z0-9]{6,12}$/;

/** Codes are compared upper-case and without surrounding spaces (« qn05901m » in a file is QN05901M). */
export const normaliseQpvCode = (code: string) => code.trim().toUpperCase();

export const QPV_CODE_HINT =
  "6 à 12 lettres majuscules ou chiffres, sans espace, comme dans la liste officielle (par exemple « QN05901M »)";

export const QPV_NAME_MAX = 200;

/** One quartier of the referential, as the rules see it. */
export type QpvEntry = { code: string; name: string; communeInsee: string };

/** One quartier as typed in the form or read from a line of the official CSV. */
export type QpvInput = { code: string; name: string; communeInsee: string };
export type QpvField = keyof QpvInput;

/**
 * Checks one quartier: the code's shape, a name, a commune of the MEL (`communes`: INSEE code → name). Returns the
 * quartier (code normalised, spaces trimmed) or a French message per wrong field.
 */
export function checkQpv(
  raw: QpvInput,
  communes: ReadonlyMap<string, string>,
): { ok: true; entry: QpvEntry } | { ok: false; errors: Partial<Record<QpvField, string>> } {
  const entry = {
    code: normaliseQpvCode(raw.code),
    name: raw.name.trim(),
    communeInsee: raw.communeInsee.trim(),
  };
  const errors: Partial<Record<QpvField, string>> = {};
  if (!QPV_CODE_PATTERN.test(entry.code))
    errors.code = `Code « ${raw.code.trim()} » invalide : ${QPV_CODE_HINT}.`;
  if (entry.name === "") errors.name = "Nom du quartier manquant.";
  else if (entry.name.length > QPV_NAME_MAX)
    errors.name = `Nom trop long (${QPV_NAME_MAX} caractères au plus).`;
  if (!INSEE_CODE_PATTERN.test(entry.communeInsee))
    errors.communeInsee = `Code INSEE « ${entry.communeInsee} » invalide : 5 caractères, par exemple 59350 pour Lille (pas le code postal).`;
  else if (!communes.has(entry.communeInsee))
    errors.communeInsee = `Commune ${entry.communeInsee} inconnue : indiquez le code INSEE d'une commune de la MEL (par exemple 59350 pour Lille).`;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, entry };
}

/** A refused line of an import: its number in the file (the header is line 1) and its French messages. */
export type QpvLineError = { line: number; message: string };

/**
 * Checks the lines of an import: each as `checkQpv`, and no code twice in the file. Returns the quartiers to write,
 * or every refused line with what is wrong on it (« ligne 4 : … »).
 */
export function checkQpvLines(
  lines: ReadonlyArray<QpvInput & { line: number }>,
  communes: ReadonlyMap<string, string>,
): { ok: true; entries: QpvEntry[] } | { ok: false; errors: QpvLineError[] } {
  const errors: QpvLineError[] = [];
  const entries: QpvEntry[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, ...raw } of lines) {
    const checked = checkQpv(raw, communes);
    const messages = checked.ok ? [] : Object.values(checked.errors);
    const code = normaliseQpvCode(raw.code);
    const first = firstLineOf.get(code);
    if (first !== undefined)
      messages.push(`Code ${code} déjà présent ligne ${first} : un quartier ne figure qu'une fois.`);
    else firstLineOf.set(code, line);
    if (messages.length > 0) errors.push({ line, message: `ligne ${line} : ${messages.join(" ")}` });
    else if (checked.ok) entries.push(checked.entry);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries };
}

/** A quartier as an attribution's rules see it: with its commune's name, for the messages. */
export type QpvOfReferential = QpvEntry & { communeName: string };

/**
 * The QPV code of an attribution (optional): it names a quartier of the referential, in the attribution's commune,
 * and implies « en QPV ». « En QPV » without a code stays allowed: the quartier is then « non renseigné ».
 * Returns the French refusal, or null.
 */
export function qpvCodeRefusal(
  input: { qpv: boolean; qpvCode: string | null; communeInsee: string },
  referential: ReadonlyMap<string, QpvOfReferential>,
): string | null {
  if (input.qpvCode === null) return null;
  const entry = referential.get(input.qpvCode);
  if (!entry)
    return `Quartier prioritaire ${input.qpvCode} inconnu : indiquez le code d'un quartier de la liste tenue par la MEL (menu Administration, « Quartiers prioritaires »), ou laissez vide.`;
  if (entry.communeInsee !== input.communeInsee)
    return `Le quartier ${entry.name} (${entry.code}) est à ${entry.communeName} (${entry.communeInsee}), pas dans la commune ${input.communeInsee} du logement : corrigez le code du quartier ou la commune.`;
  if (!input.qpv)
    return `Le quartier ${entry.name} est un quartier prioritaire : indiquez « En QPV : oui », ou retirez le code du quartier.`;
  return null;
}
