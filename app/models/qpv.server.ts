import { asc, eq, inArray } from "drizzle-orm";
import Papa from "papaparse";
import { type Db, db } from "#db/client.server";
import { organisations, qpvs } from "#db/schema";
import { ensureCan } from "#policies/guard.server";
import { checkQpv, checkQpvLines, type QpvEntry, type QpvInput } from "~/domain/qpv";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { fold } from "~/lib/attribution-schemas";
import { recordAudit } from "~/lib/audit.server";
import { DomainError, notFoundError } from "~/lib/domain-error";
import { decodeText } from "./attribution-file.server";

/**
 * The MEL's referential of quartiers prioritaires (decision 0025): read by everyone signed in (public names), written
 * by the MEL from the official list — one quartier at a time, or the whole CSV at once.
 */

/** The MEL's communes, INSEE code → name: a quartier lies in one of them. */
async function communesOfMel(tx: Db): Promise<Map<string, string>> {
  const rows = await tx
    .select({ insee: organisations.inseeCode, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.kind, "commune"));
  return new Map(rows.flatMap((r) => (r.insee ? [[r.insee, r.name] as const] : [])));
}

/** The quartiers, by commune then name, with their commune's name; `activeOnly` for the choices of a form. */
export async function listQpvs(actor: Actor, options: { activeOnly?: boolean } = {}, tx: Db = db) {
  ensureCan(actor.ability, "read", "Qpv");
  const rows = await tx
    .select({
      code: qpvs.code,
      name: qpvs.name,
      communeInsee: qpvs.communeInsee,
      communeName: organisations.name,
      active: qpvs.active,
    })
    .from(qpvs)
    .leftJoin(organisations, eq(organisations.inseeCode, qpvs.communeInsee))
    .where(options.activeOnly ? eq(qpvs.active, true) : undefined)
    .orderBy(asc(organisations.name), asc(qpvs.name));
  return rows.map((r) => ({ ...r, communeName: r.communeName ?? r.communeInsee }));
}
export type QpvRow = Awaited<ReturnType<typeof listQpvs>>[number];

const MAY_WRITE = "Seule la MEL tient la liste des quartiers prioritaires.";

/** The MEL adds one quartier; a code already in the list is refused (409): the import updates. */
export async function createQpv(actor: Actor, raw: QpvInput): Promise<QpvEntry> {
  ensureCan(actor.ability, "create", "Qpv", MAY_WRITE);
  return db.transaction(async (tx) => {
    const checked = checkQpv(raw, await communesOfMel(tx));
    if (!checked.ok)
      throw new DomainError(
        "invalid",
        "Le quartier n'a pas été ajouté : corrigez le formulaire.",
        checked.errors,
      );
    const { entry } = checked;
    const [existing] = await tx.select({ name: qpvs.name }).from(qpvs).where(eq(qpvs.code, entry.code));
    if (existing)
      throw new DomainError(
        "conflict",
        `Le code ${entry.code} est déjà celui du quartier « ${existing.name} » : importez la liste pour le mettre à jour.`,
      );
    await tx.insert(qpvs).values(entry);
    await recordAudit(tx, auditActorOf(actor), {
      action: "qpv.create",
      subjectType: "Qpv",
      subjectId: entry.code,
      after: entry,
    });
    return entry;
  });
}

/** A quartier leaving the list is deactivated (recorded attributions keep naming it); the form no longer offers it. */
export async function setQpvActive(actor: Actor, code: string, active: boolean): Promise<void> {
  ensureCan(actor.ability, "update", "Qpv", MAY_WRITE);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(qpvs)
      .set({ active, updatedAt: new Date() })
      .where(eq(qpvs.code, code))
      .returning({ code: qpvs.code });
    if (!row) throw notFoundError(`Le quartier ${code}`);
    await recordAudit(tx, auditActorOf(actor), {
      action: active ? "qpv.activate" : "qpv.deactivate",
      subjectType: "Qpv",
      subjectId: code,
    });
  });
}

/** The official list is a few hundred lines nationally, a few dozen for the MEL: 1 MB is far above it. */
export const MAX_QPV_FILE_BYTES = 1024 * 1024;

/** The headers accepted for each column, compared folded (no case, accents nor punctuation). */
const HEADERS: Record<keyof QpvInput, string[]> = {
  code: ["code", "codeqpv", "codequartier", "codeduquartier"],
  name: ["nom", "nomqpv", "nomquartier", "nomduquartier", "libelle", "name"],
  communeInsee: ["communeinsee", "codeinsee", "insee", "codecommune", "codeinseecommune", "commune"],
};
const HEADER_LABELS: Record<keyof QpvInput, string> = {
  code: "code",
  name: "nom",
  communeInsee: "commune INSEE",
};

/** The lines of the CSV (`;` or `,`, UTF-8 or Windows-1252) under its header, numbered as a spreadsheet shows them. */
function readQpvCsv(bytes: Uint8Array): Array<QpvInput & { line: number }> {
  if (bytes.byteLength === 0)
    throw new DomainError("invalid", "Le fichier est vide : choisissez le CSV de la liste.");
  if (bytes.byteLength > MAX_QPV_FILE_BYTES)
    throw new DomainError(
      "invalid",
      "Fichier trop volumineux (1 Mo au plus) : la liste des quartiers tient en quelques Ko.",
    );
  const { data } = Papa.parse<string[]>(decodeText(bytes), {
    delimitersToGuess: [";", ","],
    skipEmptyLines: "greedy",
  });
  const [header = [], ...rest] = data;
  const positions = new Map(header.map((h, i) => [fold(h), i]));
  const index = Object.fromEntries(
    (Object.keys(HEADERS) as Array<keyof QpvInput>).map((field) => [
      field,
      HEADERS[field].map((h) => positions.get(h)).find((i) => i !== undefined),
    ]),
  ) as Record<keyof QpvInput, number | undefined>;
  const missing = (Object.keys(index) as Array<keyof QpvInput>).filter((f) => index[f] === undefined);
  if (missing.length > 0)
    throw new DomainError(
      "invalid",
      `Ligne 1 : colonne${missing.length > 1 ? "s" : ""} ${missing.map((f) => `« ${HEADER_LABELS[f]} »`).join(", ")} introuvable${missing.length > 1 ? "s" : ""}. La première ligne nomme les colonnes : code;nom;commune INSEE (séparateur « ; » ou « , »).`,
    );
  if (rest.length === 0)
    throw new DomainError("invalid", "Le fichier ne contient aucun quartier sous la ligne d'en-têtes.");
  const cell = (cells: string[], field: keyof QpvInput) => cells[index[field] as number] ?? "";
  return rest.map((cells, i) => ({
    line: i + 2,
    code: cell(cells, "code"),
    name: cell(cells, "name"),
    communeInsee: cell(cells, "communeInsee"),
  }));
}

export type QpvImportResult = { received: number; created: number; updated: number; unchanged: number };

/**
 * Imports the official CSV (code;nom;commune INSEE), all or nothing: every line is checked first and any wrong line
 * refuses the file (400, each refused line with its number); then new codes are added and known ones updated
 * (name, commune, reactivated) in one transaction with one audit row. Quartiers absent from the file are left as
 * they are: the MEL deactivates them by hand (a partial file must not silently retire the others).
 */
export async function importQpvFile(actor: Actor, bytes: Uint8Array): Promise<QpvImportResult> {
  ensureCan(actor.ability, "create", "Qpv", MAY_WRITE);
  ensureCan(actor.ability, "update", "Qpv", MAY_WRITE);
  const lines = readQpvCsv(bytes);
  return db.transaction(async (tx) => {
    const checked = checkQpvLines(lines, await communesOfMel(tx));
    if (!checked.ok)
      throw new DomainError(
        "invalid",
        `${checked.errors.length === 1 ? "Une ligne est refusée" : `${checked.errors.length} lignes sont refusées`} : rien n'a été importé. Corrigez le fichier et importez-le à nouveau en entier.`,
        Object.fromEntries(checked.errors.map((e) => [`ligne ${e.line}`, e.message])),
      );
    const { entries } = checked;
    const known = new Map(
      (
        await tx
          .select({ code: qpvs.code, name: qpvs.name, communeInsee: qpvs.communeInsee, active: qpvs.active })
          .from(qpvs)
          .where(
            inArray(
              qpvs.code,
              entries.map((e) => e.code),
            ),
          )
      ).map((r) => [r.code, r]),
    );
    const result: QpvImportResult = { received: entries.length, created: 0, updated: 0, unchanged: 0 };
    const fresh = entries.filter((e) => !known.has(e.code));
    if (fresh.length > 0) await tx.insert(qpvs).values(fresh);
    result.created = fresh.length;
    for (const entry of entries) {
      const before = known.get(entry.code);
      if (!before) continue;
      if (before.name === entry.name && before.communeInsee === entry.communeInsee && before.active) {
        result.unchanged += 1;
        continue;
      }
      await tx
        .update(qpvs)
        .set({ name: entry.name, communeInsee: entry.communeInsee, active: true, updatedAt: new Date() })
        .where(eq(qpvs.code, entry.code));
      result.updated += 1;
    }
    await recordAudit(tx, auditActorOf(actor), { action: "qpv.import", subjectType: "Qpv", after: result });
    return result;
  });
}
