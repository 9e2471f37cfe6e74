import { apiHandler } from "~/api/handler.server";
import { httpError } from "~/lib/http.server";
import { calendarJson, calendarOf } from "~/models/calendar.server";

/** GET /api/v1/calendar — the caller's organisation's obligations of the year: `[{ kind, dueAt, status, subject }]`. */
export const loader = apiHandler(async (actor) => (await calendarOf(actor)).map(calendarJson));

export const action = apiHandler(async () => {
  throw httpError(405, "Méthode non permise : utilisez GET.");
});
