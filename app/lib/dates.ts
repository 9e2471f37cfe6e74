import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { fr } from "date-fns/locale";

/** Times are stored in UTC and always shown in Europe/Paris (DESIGN §3). */
export const PARIS = "Europe/Paris";

export function formatParis(date: Date | string, pattern = "d MMMM yyyy 'à' HH:mm"): string {
  return format(new TZDate(new Date(date), PARIS), pattern, { locale: fr });
}
