import type { LoaderFunctionArgs } from "@remix-run/node";
import { startProConnect } from "~/lib/proconnect.server";

/**
 * « S'identifier avec ProConnect » is a link here (a GET): starting a sign-in changes nothing, and a link is not
 * held to the form-action of the content security policy when it leaves for ProConnect.
 */
export const loader = ({ request }: LoaderFunctionArgs) => startProConnect(request);
