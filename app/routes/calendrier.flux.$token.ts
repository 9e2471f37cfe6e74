import type { LoaderFunctionArgs } from "@remix-run/node";
import { withHttpErrors } from "~/lib/http.server";
import { calendarFeedText } from "~/models/calendar-feeds.server";

/** GET /calendrier/flux/<secret>.ics — the user's obligations as an iCalendar feed (the secret URL is the credential). */
export const loader = withHttpErrors(readPage);

async function readPage({ params }: LoaderFunctionArgs) {
  const text = await calendarFeedText((params.token ?? "").replace(/\.ics$/, ""));
  return new Response(text, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": 'inline; filename="obligations.ics"',
      "cache-control": "private, no-store",
    },
  });
}
