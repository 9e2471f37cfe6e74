import * as React from "react";
import { cn } from "~/lib/cn";

/**
 * A native `<select>` styled like the other fields: forms post it as is, react-hook-form registers it, browsers and
 * assistive technologies handle it (a long list of options, typing to jump). Radix's Select suits a menu that posts
 * nothing; a searchable list is the Combobox (commune picker).
 */
export const NativeSelect = React.forwardRef<HTMLSelectElement, React.ComponentProps<"select">>(
  ({ className, ...props }, ref) => (
    <select
      ref={ref}
      className={cn(
        "h-9 rounded-md border border-input bg-background px-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:opacity-50 aria-[invalid=true]:border-destructive",
        className,
      )}
      {...props}
    />
  ),
);
NativeSelect.displayName = "NativeSelect";
