import type * as React from "react";
import { cn } from "~/lib/cn";

/**
 * A table in a region that scrolls sideways on a narrow screen; the region takes the keyboard focus so that it can
 * be scrolled without a mouse (axe: scrollable-region-focusable), named by `label`.
 */
export function Table({
  className,
  label = "Tableau",
  ...props
}: React.HTMLAttributes<HTMLTableElement> & { label?: string }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard (WCAG 2.1.1).
    <section className="relative w-full overflow-auto" aria-label={label} tabIndex={0}>
      <table className={cn("w-full caption-bottom text-sm", className)} {...props} />
    </section>
  );
}

export const TableHeader = (props: React.HTMLAttributes<HTMLTableSectionElement>) => (
  <thead className="[&_tr]:border-b" {...props} />
);
export const TableBody = (props: React.HTMLAttributes<HTMLTableSectionElement>) => (
  <tbody className="[&_tr:last-child]:border-0" {...props} />
);
export const TableRow = ({ className, ...props }: React.HTMLAttributes<HTMLTableRowElement>) => (
  <tr className={cn("border-b border-border transition-colors hover:bg-muted/50", className)} {...props} />
);
export const TableHead = ({ className, ...props }: React.ThHTMLAttributes<HTMLTableCellElement>) => (
  <th
    className={cn("h-10 px-3 text-left align-middle font-medium text-muted-foreground", className)}
    {...props}
  />
);
export const TableCell = ({ className, ...props }: React.TdHTMLAttributes<HTMLTableCellElement>) => (
  <td className={cn("p-3 align-middle", className)} {...props} />
);
