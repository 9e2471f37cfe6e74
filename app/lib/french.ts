/**
 * French typography, in one place (issue 16): ordinals (1er, 1re), elision before a vowel or a mute h
 * (« d'Action Logement », never « de Action Logement »), non-breaking spaces before « : ; ? ! » and inside numbers.
 * Used wherever a label, a mail or a PDF inserts a name or a number into a sentence.
 */

/** U+202F, the narrow no-break space French typography puts before ; ? ! and inside numbers. */
export const NNBSP = "\u202f";
/** U+00A0, the no-break space before a colon. */
export const NBSP = "\u00a0";

/** 1er / 1re, then 2e, 3e… (never « 1ère », « 2ème »). */
export function ordinal(n: number, gender: "m" | "f" = "m"): string {
  return n === 1 ? (gender === "f" ? "1re" : "1er") : `${n}e`;
}

/** « le 1er février », « le 2 février »: the first day of a month is an ordinal. */
export const dayOfMonth = (day: number) => (day === 1 ? "1er" : String(day));

/**
 * Whether a word elides the article before it: a vowel (accented or not), or an h we treat as mute. Names starting
 * with an aspirated h (« Hauts-de-France », « Habitat ») keep « de ».
 */
const ASPIRATED_H = /^(haut|habitat|hainaut|halluin|hem\b|houplin|hallennes|haubourdin)/i;
function elides(word: string): boolean {
  const w = word.trim();
  if (/^[aeiouyàâäéèêëîïôöùûüÿæœ]/i.test(w)) return true;
  return /^h/i.test(w) && !ASPIRATED_H.test(w);
}

/** « de » or « d' » before a name: « d'Action Logement », « de Vilogia », « de Hem ». */
export const de = (name: string) => (elides(name) ? `d'${name.trim()}` : `de ${name.trim()}`);

/** Non-breaking spaces before « : ; ? ! » (replacing a plain space, or adding one when missing after a word). */
export function punctuate(text: string): string {
  return text
    .replace(/ ?([;?!])(?=\s|$)/g, (_m, p: string) => `${NNBSP}${p}`)
    .replace(/(\S) ?:(?=\s|$)/g, (_m, before: string) => `${before}${NBSP}:`);
}

/** A whole number with narrow no-break spaces between thousands: 6 790, 1 121 000. */
export const formatNumber = (n: number) =>
  new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 }).format(n).replace(/[\s\u00a0]/g, NNBSP);
