import { FINANCING_LABELS } from "~/domain/housing";
import { PROGRAMME_STATUS_LABELS } from "~/domain/programme";
import type { Actor } from "~/lib/actor.server";
import { parisYear } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import { deliveryPeriodSchema } from "~/lib/programme-schemas";
import { fieldErrors } from "~/lib/validation";
import { consolidatedDeliveries } from "./programmes.server";

/**
 * The period of a deliveries view or export (`?year=2027&half=1`), this year by default, the whole year without
 * `half`. `half=annee` was the whole year's value before issue 18: links already shared still open it.
 */
export function periodFrom(url: URL) {
  const half = url.searchParams.get("half");
  const parsed = deliveryPeriodSchema.safeParse({
    year: url.searchParams.get("year") ?? parisYear(new Date()),
    half: half === "annee" ? undefined : (half ?? undefined),
  });
  if (!parsed.success)
    throw new DomainError(
      "invalid",
      "Période invalide : une année (AAAA) et un semestre (1 ou 2) ou l'année entière.",
      fieldErrors(parsed.error),
    );
  return parsed.data;
}

/** The deliveries of the period, one line per programme and kind of flat (same policy as the page). */
export async function deliveriesTable(actor: Actor, url: URL) {
  const period = periodFrom(url);
  const { list, from, to } = await consolidatedDeliveries(actor, period, { withList: true });
  const header = [
    "Première mise en location",
    "Programme",
    "Adresse",
    "Commune",
    "INSEE",
    "Bailleur",
    "État",
    "Typologie",
    "Financement",
    "PMR",
    "Logements",
  ];
  const body = list
    .filter((p) => p.firstLettingDate >= from && p.firstLettingDate <= to)
    .flatMap((p) =>
      p.flats.map((f) => [
        p.firstLettingDate,
        p.name,
        p.address,
        p.communeName,
        p.communeInsee,
        p.bailleurName,
        PROGRAMME_STATUS_LABELS[p.status],
        f.typology,
        FINANCING_LABELS[f.financing],
        f.pmr ? "oui" : "non",
        f.count,
      ]),
    );
  return { header, body, name: `livraisons-${from}-${to}` };
}
