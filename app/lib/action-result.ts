import { data } from "@remix-run/node";
import { asHttpError } from "./http.server";
import type { FieldErrors } from "./validation";

/** What a form action answers: a French message for the page, and per-field errors when the input was wrong. */
export type ActionResult = { ok: boolean; message: string; errors: FieldErrors };

export const succeeded = (message: string): ActionResult => ({ ok: true, message, errors: {} });

export const failed = (message: string, errors: FieldErrors = {}, status = 400) =>
  data<ActionResult>({ ok: false, message, errors }, { status });

/**
 * Runs a form's work and turns a refused business rule (a model's DomainError or a Response: 409, 410, 400…) into an inline message,
 * so that the page stays with its form (with the per-field errors the model gave). Policy refusals (401, 403, 404) still go to the error page.
 */
export async function attempt<T>(work: () => Promise<T>): Promise<T | ReturnType<typeof failed>> {
  try {
    return await work();
  } catch (thrown) {
    const error = asHttpError(thrown);
    if (
      error instanceof Response &&
      error.status >= 400 &&
      error.status < 500 &&
      ![401, 403, 404].includes(error.status)
    ) {
      const body = (await error.json().catch(() => ({}))) as { message?: string; errors?: FieldErrors };
      return failed(body.message ?? "La demande a été refusée.", body.errors ?? {}, error.status);
    }
    throw error;
  }
}
