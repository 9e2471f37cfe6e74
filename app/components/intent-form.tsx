import { Form, useNavigation } from "@remix-run/react";
import { useConfirmSubmit } from "./confirm-dialog";
import { CsrfInput } from "./csrf-input";
import { Button, type ButtonProps } from "./ui/button";

/**
 * A one-button form posting an `intent` and hidden ids (CSRF included), with any visible fields given as children.
 * With `confirm`, an AlertDialog asks first: irreversible actions are never one click away.
 */
export function IntentForm({
  intent,
  fields,
  confirm,
  label,
  variant = "outline",
  ariaLabel,
  children,
}: {
  intent: string;
  fields: Record<string, string>;
  confirm?: string;
  label: string;
  variant?: ButtonProps["variant"];
  ariaLabel?: string;
  children?: React.ReactNode;
}) {
  const navigation = useNavigation();
  const { confirmSubmit, dialog } = useConfirmSubmit();
  return (
    <Form
      method="post"
      className={children ? "flex items-end gap-2" : undefined}
      onSubmit={(event) => confirmSubmit(event, confirm)}
    >
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <Button size="sm" variant={variant} disabled={navigation.state !== "idle"} aria-label={ariaLabel}>
        {label}
      </Button>
      {dialog}
    </Form>
  );
}
