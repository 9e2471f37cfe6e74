import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import { ErrorPage, errorMessage } from "~/components/error-page";
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

export function ErrorBoundary() {
  return <ErrorPage {...errorMessage(useRouteError())} />;
}
