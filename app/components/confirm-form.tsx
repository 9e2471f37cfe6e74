import { Form, useNavigation } from "@remix-run/react";
import { type ReactNode, useRef } from "react";
import { useConfirm } from "./confirm-dialog";
import { CsrfInput } from "./csrf-input";
import { Button, type ButtonProps } from "./ui/button";

/**
 * A form posting an `intent`, hidden ids and its own fields (`children`), submitted only once the user confirms in
 * an AlertDialog that says what cannot be undone. The fields are checked (required, length) before the dialog opens.
 */
export function ConfirmForm({
  intent,
  fields,
  label,
  ariaLabel,
  title,
  description,
  confirmLabel,
  variant = "default",
  children,
  className,
}: {
  intent: string;
  fields: Record<string, string>;
  label: string;
  ariaLabel?: string;
  title: string;
  description: string;
  confirmLabel: string;
  variant?: ButtonProps["variant"];
  children?: ReactNode;
  className?: string;
}) {
  const form = useRef<HTMLFormElement>(null);
  const { ask, dialog } = useConfirm();
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post" ref={form} className={className}>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <Button
        type="button"
        size="sm"
        variant={variant}
        disabled={busy}
        aria-label={ariaLabel}
        onClick={async () => {
          if (!form.current?.reportValidity()) return;
          if (await ask({ title, description, confirmLabel, variant })) form.current.requestSubmit();
        }}
      >
        {label}
      </Button>
      {dialog}
    </Form>
  );
}
