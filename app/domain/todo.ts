/**
 * The home page's « À faire » list (issue 16): what waits for the user, each line with a count, its nearest
 * deadline and the page where it is done. Pure rules: grouping the calendar's open obligations.
 */
import { OBLIGATION_KIND_LABELS, type ObligationKind, type ObligationStatus } from "./obligations";

export type Todo = {
  key: string;
  title: string;
  count: number;
  /** The nearest deadline (exclusive instant), if any. */
  dueAt: Date | null;
  late: boolean;
  url: string;
};

type OpenObligation = {
  kind: ObligationKind;
  key: string;
  subject: string;
  url: string;
  dueAt: Date;
  status: ObligationStatus;
  event?: boolean;
};

/**
 * One line per kind of obligation still to do (due or late; a comité meeting is an event, not a task): a single
 * obligation keeps its own subject and page; several are counted under the kind's label, at their common page or
 * the calendar. Sorted by nearest deadline.
 */
export function obligationTodos(items: OpenObligation[]): Todo[] {
  const open = items.filter((i) => !i.event && (i.status === "due" || i.status === "late"));
  const byKind = new Map<ObligationKind, OpenObligation[]>();
  for (const item of open) byKind.set(item.kind, [...(byKind.get(item.kind) ?? []), item]);
  return [...byKind.entries()]
    .map(([kind, group]): Todo => {
      const first = group.reduce((a, b) => (b.dueAt < a.dueAt ? b : a));
      const urls = new Set(group.map((i) => i.url));
      return {
        key: group.length === 1 ? first.key : kind,
        title: group.length === 1 ? first.subject : OBLIGATION_KIND_LABELS[kind],
        count: group.length,
        dueAt: first.dueAt,
        late: group.some((i) => i.status === "late"),
        url: urls.size === 1 ? first.url : "/calendrier",
      };
    })
    .sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime());
}
