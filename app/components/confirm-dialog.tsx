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
import { Button } from "./ui/button";

/**
 * Asks before an irreversible step, in an AlertDialog (never `window.confirm`, which a page cannot style or label):
 * `ask(question)` opens it and resolves to true on « Confirmer ». Render `dialog` once in the component that asks.
 */
export function useConfirm() {
  const [pending, setPending] = useState<{ question: string; answer: (yes: boolean) => void } | null>(null);
  const ask = (question: string) => new Promise<boolean>((answer) => setPending({ question, answer }));
  const close = (yes: boolean) => {
    pending?.answer(yes);
    setPending(null);
  };
  const dialog = (
    <AlertDialog open={pending !== null} onOpenChange={(open) => open || close(false)}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Confirmer</AlertDialogTitle>
          <AlertDialogDescription>{pending?.question}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline">Annuler</Button>
          </AlertDialogCancel>
          <AlertDialogAction asChild>
            <Button onClick={() => close(true)}>Confirmer</Button>
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
