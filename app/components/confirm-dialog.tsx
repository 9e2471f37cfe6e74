import { type FormEvent, useRef, useState } from "react";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "./ui/alert-dialog";
import { Button, type ButtonProps } from "./ui/button";

/** What the dialog says: a question alone, or a title, what cannot be undone, and the confirming button's label. */
export type Question =
  | string
  | { title: string; description: string; confirmLabel: string; variant?: ButtonProps["variant"] };

/**
 * Asks before an irreversible step, in an AlertDialog (never `window.confirm`, which a page cannot style or label):
 * `ask(question)` opens it and resolves to true when the user confirms. Render `dialog` once in the component.
 */
export function useConfirm() {
  const [pending, setPending] = useState<{ question: Question; answer: (yes: boolean) => void } | null>(null);
  const ask = (question: Question) => new Promise<boolean>((answer) => setPending({ question, answer }));
  const close = (yes: boolean) => {
    pending?.answer(yes);
    setPending(null);
  };
  const question = pending?.question ?? "";
  const { title, description, confirmLabel, variant } =
    typeof question === "string"
      ? { title: "Confirmer", description: question, confirmLabel: "Confirmer", variant: undefined }
      : question;
  const dialog = (
    <AlertDialog open={pending !== null} onOpenChange={(open) => open || close(false)}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{description}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline">Annuler</Button>
          </AlertDialogCancel>
          <AlertDialogAction asChild>
            <Button variant={variant} onClick={() => close(true)}>
              {confirmLabel}
            </Button>
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
  return { ask, dialog };
}

/**
 * A form's `onSubmit` that asks first (when given a question): the submit waits for the answer and, confirmed, goes
 * on with the same submitter.
 */
export function useConfirmSubmit() {
  const { ask, dialog } = useConfirm();
  const confirmed = useRef<HTMLFormElement | null>(null);
  function confirmSubmit(event: FormEvent<HTMLFormElement>, question: string | undefined) {
    const form = event.currentTarget;
    if (!question || confirmed.current === form) {
      confirmed.current = null;
      return;
    }
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    void ask(question).then((yes) => {
      if (!yes) return;
      confirmed.current = form;
      form.requestSubmit(submitter);
    });
  }
  return { confirmSubmit, dialog };
}
