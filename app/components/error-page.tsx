import { isRouteErrorResponse } from "@remix-run/react";

/** The message of a thrown JSON error (our `httpError`), or a generic French one; never a stack trace. */
export function errorMessage(error: unknown): { status: number; message: string } {
  if (isRouteErrorResponse(error)) {
    const body = error.data as { message?: string } | string | null;
    const message = typeof body === "object" && body?.message ? body.message : undefined;
    if (error.status === 404) return { status: 404, message: message ?? "Cette page n'existe pas." };
    return { status: error.status, message: message ?? "La demande n'a pas pu aboutir." };
  }
  return {
    status: 500,
    message: "Une erreur inattendue est survenue. Réessayez ; si elle persiste, prévenez la MEL.",
  };
}

/** The page of an error (root and layout boundaries alike): its title, its French message, a way back. */
export function ErrorPage({
  status,
  message,
  children,
}: {
  status: number;
  message: string;
  children?: React.ReactNode;
}) {
  return (
    <main className="mx-auto max-w-xl p-8">
      <title>{`Erreur ${status} — Portail flux MEL`}</title>
      <h1 className="mb-4 text-2xl font-semibold">
        {status === 404 ? "Page introuvable" : `Erreur ${status}`}
      </h1>
      <p className="mb-6">{message}</p>
      {children}
      <a className="text-primary underline" href="/accueil">
        Retour à l'accueil
      </a>
    </main>
  );
}
