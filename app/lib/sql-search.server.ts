/** A LIKE pattern for the text anywhere in a column; `%`, `_` and `\` typed in a search are looked for as such. */
export const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
