import * as React from "react";
import { cn } from "~/lib/cn";

// `focus-within:` rather than `focus-visible:`: when the day, month or year part of a date field has the keyboard
// focus, Chromium matches neither :focus nor :focus-visible on the field itself, which then showed no ring (RGAA 10.7).

export const Input = React.forwardRef<HTMLInputElement, React.InputHTMLAttributes<HTMLInputElement>>(
  ({ className, type, ...props }, ref) => (
    <input
      type={type}
      className={cn(
        "flex h-10 w-full rounded-md border border-input bg-background px-3 py-2 text-sm placeholder:text-muted-foreground focus-within:outline-none focus-within:ring-2 focus-within:ring-ring focus-within:ring-offset-2 disabled:cursor-not-allowed disabled:opacity-50 aria-[invalid=true]:border-destructive",
        className,
      )}
      ref={ref}
      {...props}
    />
  ),
);
Input.displayName = "Input";
