/**
 * `value` on one line: each run of CR and LF becomes one space. Names typed by users reach mail subjects and
 * iCalendar lines, where a line break would add a header (`BCC: …`) or a property of the attacker's choosing.
 */
export const singleLine = (value: string) => value.replace(/[\r\n]+/g, " ");
