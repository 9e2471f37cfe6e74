import { zodResolver } from "@hookform/resolvers/zod";
import { useSubmit } from "@remix-run/react";
import type { FormEvent } from "react";
import { type FieldValues, type Resolver, useForm } from "react-hook-form";
import type { z } from "zod";

/**
 * react-hook-form checks the form in the browser with the same zod schema the server uses, then lets Remix post it
 * (CSRF field included). Without JavaScript the server's check answers with the same messages.
 */
export function useZodForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  serverErrors?: Record<string, string>,
) {
  const form = useForm<z.input<S>>({
    resolver: zodResolver(schema as never) as unknown as Resolver<z.input<S>>,
    mode: "onTouched",
  });
  const submit = useSubmit();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const target = event.currentTarget;
    void form.handleSubmit(() => submit(target))(event);
  };
  const errorOf = (name: string) =>
    (form.formState.errors as Record<string, { message?: string } | undefined>)[name]?.message ??
    serverErrors?.[name];
  /** For fields a custom control posts (e.g. the commune picker): validated once touched, like the others. */
  const setField = (name: string, value: unknown) =>
    form.setValue(name as never, value as never, { shouldValidate: form.formState.isSubmitted });
  return { register: form.register, onSubmit, errorOf, setField };
}
