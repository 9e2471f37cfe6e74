import { ensureCan, reachesAll } from "#policies/guard.server";
import { TYPOLOGY_LABELS } from "~/domain/housing";
import { PUBLIC_CATEGORY_LABELS, STATUS_LABELS, URGENCY_LABELS } from "~/domain/signalement";
import type { Actor } from "~/lib/actor.server";
import { formatParis } from "~/lib/dates";
import { parseSignalementFilters } from "~/lib/signalement-schemas";
import { householdDetails, listSignalements, logSignalementReads } from "./signalements.server";

/** Exports hold at most this many rows (the newest first); filter to export older ones. */
export const EXPORT_LIMIT = 10_000;

/**
 * The signalements the actor may see, with the board's filters, as a table (header + rows). Same policy and
 * visibility as the board; every exported household is written to the read log.
 */
export async function exportTable(actor: Actor, query: URLSearchParams) {
  ensureCan(actor.ability, "read", "Signalement");
  const parsed = parseSignalementFilters(query);
  const filters = parsed.success ? { ...parsed.data, after: undefined } : {};
  const rows = await listSignalements(actor, filters, { limit: EXPORT_LIMIT });
  const households = await householdDetails(
    actor,
    rows.map((r) => r.id),
  );
  await logSignalementReads(
    actor,
    rows.map((r) => r.id),
    "export",
  );
  const isMel = reachesAll(actor.ability, "read", "Signalement");
  const header = [
    "Numéro unique",
    "Commune",
    "Adultes",
    "Enfants",
    "Typologie souhaitée",
    "Communes souhaitées (INSEE)",
    "Public",
    "Quartile de ressources",
    "Urgence",
    "Bailleurs",
    "Statut",
    "Envoyé le",
    "Accusé de réception le",
    "Terminé le",
    ...(isMel ? ["Suivi par une autre organisation"] : []),
  ];
  const body = rows.map((r) => {
    const household = households.get(r.id)!;
    return [
      r.numeroUnique ?? "(anonymisé)",
      r.communeName,
      household.adults,
      household.children,
      TYPOLOGY_LABELS[r.typology],
      household.communesWanted.join(", "),
      PUBLIC_CATEGORY_LABELS[r.publicCategory],
      household.incomeQuartile ?? "",
      URGENCY_LABELS[r.urgency],
      r.bailleurs.map((b) => b.name).join(", "),
      STATUS_LABELS[r.status],
      formatParis(r.createdAt, "dd/MM/yyyy"),
      r.acknowledgedAt ? formatParis(r.acknowledgedAt, "dd/MM/yyyy") : "",
      r.closedAt ? formatParis(r.closedAt, "dd/MM/yyyy") : "",
      ...(isMel ? ["followedElsewhere" in r && r.followedElsewhere ? "oui" : "non"] : []),
    ];
  });
  return { header, body };
}
