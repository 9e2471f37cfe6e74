import type * as React from "react";
import { cn } from "~/lib/cn";

export function Alert({
  variant = "default",
  className,
  ...props
}: React.HTMLAttributes<HTMLDivElement> & { variant?: "default" | "destructive" | "success" }) {
  return (
    <div
      role={variant === "destructive" ? "alert" : "status"}
      className={cn(
        "rounded-md border p-4 text-sm",
        variant === "destructive" && "border-destructive/50 bg-red-50 text-destructive",
        variant === "success" && "border-green-700/40 bg-green-50 text-green-900",
        variant === "default" && "border-border bg-muted",
        className,
      )}
      {...props}
    />
  );
}
