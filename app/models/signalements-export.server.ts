import type { LoaderFunctionArgs } from "@remix-run/node";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { ensureCan, reachesAll } from "#policies/guard.server";
import { PUBLIC_CATEGORY_LABELS, STATUS_LABELS, TYPOLOGY_LABELS, URGENCY_LABELS } from "~/domain/signalement";
import { requireActor } from "~/lib/actor.server";
import { formatParis } from "~/lib/dates";
import { signalementFiltersSchema } from "~/lib/signalement-schemas";
import { listSignalements, logSignalementReads } from "./signalements.server";

/** Exports hold at most this many rows (the newest first); filter to export older ones. */
export const EXPORT_LIMIT = 10_000;

/**
 * The signalements the actor may see, with the board's filters, as a table (header + rows). Same policy and
 * visibility as the board; every exported household is written to the read log.
 */
export async function exportTable(args: Pick<LoaderFunctionArgs, "request" | "context">) {
  const actor = await requireActor(args.request, args.context);
  ensureCan(actor.ability, "read", "Signalement");
  const url = new URL(args.request.url);
  const parsed = signalementFiltersSchema.safeParse({
    status: url.searchParams.get("status") ?? undefined,
    numeroUnique: url.searchParams.get("numeroUnique") ?? undefined,
  });
  const rows = await listSignalements(actor, parsed.success ? parsed.data : {}, { limit: EXPORT_LIMIT });
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
  const body = rows.map((r) => [
    r.numeroUnique ?? "(anonymisé)",
    r.communeName,
    r.adults,
    r.children,
    TYPOLOGY_LABELS[r.typology],
    r.communesWanted.join(", "),
    PUBLIC_CATEGORY_LABELS[r.publicCategory],
    r.incomeQuartile ?? "",
    URGENCY_LABELS[r.urgency],
    r.bailleurs.map((b) => b.name).join(", "),
    STATUS_LABELS[r.status],
    formatParis(r.createdAt, "dd/MM/yyyy"),
    r.acknowledgedAt ? formatParis(r.acknowledgedAt, "dd/MM/yyyy") : "",
    r.closedAt ? formatParis(r.closedAt, "dd/MM/yyyy") : "",
    ...(isMel ? ["followedElsewhere" in r && r.followedElsewhere ? "oui" : "non"] : []),
  ]);
  return { header, body };
}

/** CSV for Excel: `;` separator and a UTF-8 BOM. */
export function toCsv(table: { header: string[]; body: Array<Array<string | number>> }): string {
  return `\uFEFF${Papa.unparse({ fields: table.header, data: table.body }, { delimiter: ";" })}`;
}

export async function toXlsx(
  table: {
    header: string[];
    body: Array<Array<string | number>>;
  },
  sheetName = "Signalements",
): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(table.header).font = { bold: true };
  for (const row of table.body) sheet.addRow(row);
  sheet.columns.forEach((column) => {
    column.width = 20;
  });
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}
