import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PublicCard } from "~/components/public-card";
import { Alert } from "~/components/ui/alert";
import { LoginError, logInWithProConnect, lucia, serialiseSessionCookie } from "~/lib/auth.server";
import { clientIp } from "~/lib/http.server";
import { endProConnectFlow, finishProConnect } from "~/lib/proconnect.server";

export const meta: MetaFunction = () => [{ title: "Connexion avec ProConnect — Portail flux MEL" }];

/** Where ProConnect sends the browser back: a session for the member it identified, or the refusal's reason. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const headers = new Headers({ "Set-Cookie": await endProConnectFlow(request) });
  try {
    const identity = await finishProConnect(request);
    const session = await logInWithProConnect({ ...identity, ip: clientIp(request, context) });
    headers.append("Set-Cookie", serialiseSessionCookie(request, lucia.createSessionCookie(session.id)));
    return redirect(identity.redirectTo, { headers });
  } catch (error) {
    if (error instanceof LoginError)
      return data({ refusal: error.message }, { status: error.status, headers });
    throw error;
  }
}

export default function ProConnectRefusal() {
  const { refusal } = useLoaderData<typeof loader>();
  return (
    <PublicCard title="Connexion avec ProConnect" description="Portail partenaires — gestion en flux">
      <div className="space-y-4">
        <Alert variant="destructive">{refusal}</Alert>
        <p className="text-center text-sm">
          <Link to="/connexion" className="text-primary underline">
            Revenir à la page de connexion
          </Link>
        </p>
      </div>
    </PublicCard>
  );
}
