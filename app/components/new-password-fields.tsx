import type { UseFormRegister } from "react-hook-form";
import { Field } from "./field";

/** The new password and its confirmation, as the invitation and the reset pages ask for them. */
export function NewPasswordFields({
  label = "Mot de passe",
  register,
  errorOf,
}: {
  label?: string;
  // biome-ignore lint/suspicious/noExplicitAny: both forms' schemas have these two fields, whatever else they hold.
  register: UseFormRegister<any>;
  errorOf: (name: string) => string | undefined;
}) {
  return (
    <>
      <Field
        label={label}
        type="password"
        autoComplete="new-password"
        hint="12 caractères au moins."
        error={errorOf("password")}
        {...register("password")}
      />
      <Field
        label="Confirmation du mot de passe"
        type="password"
        autoComplete="new-password"
        error={errorOf("confirmation")}
        {...register("confirmation")}
      />
    </>
  );
}
