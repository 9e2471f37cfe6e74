import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
} from "@remix-run/react";
import { authenticate } from "~/lib/actor.server";
import { csrfToken } from "~/lib/csrf.server";
import { useNonce } from "~/lib/nonce";
import stylesheet from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/**
 * Every page gets the CSRF token for its forms (the pre-session cookie is set on first visit), bound to the session
 * the page is served for: none when the session cookie turned out stale (it is being cleared).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await authenticate(request, context);
  const { token, setCookie } = await csrfToken(request, actor?.sessionId ?? null);
  return data({ csrf: token }, setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined);
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="fr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

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

export function ErrorBoundary() {
  const { status, message } = errorMessage(useRouteError());
  return (
    <main className="mx-auto max-w-xl p-8">
      <title>{`Erreur ${status} — Portail flux MEL`}</title>
      <h1 className="mb-4 text-2xl font-semibold">
        {status === 404 ? "Page introuvable" : `Erreur ${status}`}
      </h1>
      <p className="mb-6">{message}</p>
      <a className="text-primary underline" href="/accueil">
        Retour à l'accueil
      </a>
    </main>
  );
}
