import { melCommunes } from "#seed/organisations";
import { httpError } from "./http.server";

/**
 * The MEL's communes (INSEE code → name), from the official COG data the seed uses (EPCI 200093201): the one
 * place every form and API checks a commune code against, and that names a code on the pages.
 */
let cache: Map<string, string> | undefined;
export function melCommuneNames(): ReadonlyMap<string, string> {
  cache ??= new Map(
    melCommunes()
      .map((c) => [c.inseeCode!, c.name] as const)
      .sort((a, b) => a[1].localeCompare(b[1], "fr")),
  );
  return cache;
}

export const isMelCommune = (code: string) => melCommuneNames().has(code);

/** « Lille (59350) »; an unknown code stays as it is (an old row, an anonymised one). */
export const communeLabel = (code: string) => {
  const name = melCommuneNames().get(code);
  return name ? `${name} (${code})` : code;
};

/** « Lille »; an unknown code stays as it is. */
export const communeName = (code: string) => melCommuneNames().get(code) ?? code;

/** The choices of a commune picker, by name. */
export const communeOptions = () => [...melCommuneNames()].map(([code, name]) => ({ code, name }));

/**
 * Refuses (400, naming the field) any code that is not one of the MEL's communes — a postcode (59000), a typo
 * (12345), a commune outside the métropole (59999 does not exist).
 */
export function ensureMelCommunes(field: string, label: string, codes: Array<string | null | undefined>) {
  const wrong = [...new Set(codes.filter((c): c is string => !!c && !isMelCommune(c)))];
  if (wrong.length === 0) return;
  const message =
    `${label} : ${wrong.map((c) => `« ${c} »`).join(", ")} ` +
    (wrong.length > 1 ? "ne sont les codes INSEE d'aucune" : "n'est le code INSEE d'aucune") +
    " commune de la MEL. Choisissez la commune dans la liste (par exemple 59350 pour Lille ; pas le code postal).";
  throw httpError(400, message, { errors: { [field]: message } });
}
