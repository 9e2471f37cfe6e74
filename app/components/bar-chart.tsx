/**
 * A plain, accessible horizontal bar chart (CSS widths, no dependency): each bar is a labelled row of a list, the
 * value written beside it, so a screen reader reads "label: value". The table with the same figures stands beside
 * it on every page (charts where people would rather look than read, DESIGN §5).
 */
export type Bar = {
  label: string;
  /** What the bar measures (a count). */
  value: number;
  /** A reference drawn as a line across the bar (e.g. the rights), optional. */
  reference?: number | null;
  /** Text written after the bar (defaults to the value). */
  text?: string;
  tone?: "default" | "warning";
};

export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.reference ?? 0)));
  const width = (value: number) => `${Math.min(100, (value / max) * 100)}%`;
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <ul className="space-y-1">
        {bars.map((bar) => (
          <li
            key={bar.label}
            className="grid grid-cols-[minmax(8rem,14rem)_1fr_auto] items-center gap-2 text-sm"
          >
            <span className="truncate" title={bar.label}>
              {bar.label}
            </span>
            <span className="relative h-4 rounded bg-muted" aria-hidden="true">
              <span
                className={`absolute inset-y-0 left-0 rounded ${bar.tone === "warning" ? "bg-amber-600" : "bg-primary"}`}
                style={{ width: width(bar.value) }}
              />
              {bar.reference ? (
                <span
                  className="absolute inset-y-0 w-0.5 bg-foreground"
                  style={{ left: width(bar.reference) }}
                />
              ) : null}
            </span>
            <span className="tabular-nums">{bar.text ?? bar.value.toLocaleString("fr-FR")}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
