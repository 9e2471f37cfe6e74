import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import {
  assiettePublications,
  assietteVersionRows,
  assietteVersions,
  type ForecastStatus,
  forecasts,
  organisations,
} from "#db/schema";
import { enqueueMail, enqueueMails } from "#emails/outbox.server";
import { assiettePublishedMail, assietteRectifiedMail, forecastReminderMail } from "#emails/templates";
import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import { ANNEX1_BAILLEUR_ORDER } from "#seed/organisations";
import {
  type FrozenRow,
  pendingChanges,
  type RowChange,
  rectifyReasonError,
  versionLabel,
} from "~/domain/assiette-version";
import {
  assietteH,
  bailleurRights,
  CONTINGENTS_OF_RESERVATAIRE,
  type Contingent,
  type Forecast,
  forecastErrors,
  type ReservataireKind,
  ROUNDING_RULE,
  reservataireRateBp,
} from "~/domain/rights";
import { type Actor, auditActorOf } from "~/lib/actor.server";
import { recordAudit } from "~/lib/audit.server";
import { assietteQuerySchema } from "~/lib/cycle-validation";
import { formatParis } from "~/lib/dates";
import { DomainError } from "~/lib/domain-error";
import { replaceChangedLetters } from "./avenant-replacement.server";
import { type RateSource, ratesOfYear, type YearRates } from "./contingents.server";
import { memberEmails, recipients } from "./members.server";

export const RESERVATAIRE_KINDS = Object.keys(CONTINGENTS_OF_RESERVATAIRE) as ReservataireKind[];

async function publicationOf(year: number, tx: Db = db) {
  const [row] = await tx.select().from(assiettePublications).where(eq(assiettePublications.year, year));
  return row ?? null;
}

/** Serialises a year's forecast changes and its publications (a transaction-level advisory lock). */
async function lockYear(tx: Db, year: number) {
  await tx.execute(sql`select pg_advisory_xact_lock(7345100, ${year})`);
}

const FORECAST_KEYS = ["a", "b", "c", "d", "e", "f", "g"] as const;
const pick = (row: Forecast): Forecast =>
  Object.fromEntries(FORECAST_KEYS.map((k) => [k, row[k]])) as unknown as Forecast;

export type AssietteVersion = typeof assietteVersions.$inferSelect;

/** The published versions of a year, oldest first (none before the publication). */
async function versionsOf(year: number, tx: Db = db): Promise<AssietteVersion[]> {
  return tx
    .select()
    .from(assietteVersions)
    .where(eq(assietteVersions.year, year))
    .orderBy(asc(assietteVersions.version));
}

/** What the next step on a published year says: the change waits for the next version (rectificatif). */
const pendingMessage = (year: number, version: number) =>
  `L'assiette ${year} est publiée : cette modification sera publiée dans le rectificatif (version ${version}) par les services de l'État. La version publiée ne change pas.`;

/**
 * Writes a forecast (A–G). The bailleur may change it until it is submitted; the État may correct it at any time
 * (004 lines 146–150; DESIGN §4). Once the year is published nothing published changes: the forecast waits for the
 * next version, which the answer names (`pendingVersion`).
 */
async function storeForecast(
  actor: Actor,
  input: {
    bailleurId: string;
    year: number;
    values: Record<keyof Forecast, unknown>;
    submit: boolean;
    by: "bailleur" | "etat";
    now?: Date;
  },
) {
  const errors = forecastErrors(input.values);
  if (Object.keys(errors).length > 0)
    throw new DomainError(
      "invalid",
      errors.form ?? "La prévision est incomplète ou invalide : corrigez les colonnes.",
      errors,
    );
  const values = pick(input.values as Forecast);
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await lockYear(tx, input.year);
    const latest = (await versionsOf(input.year, tx)).at(-1);
    const [existing] = await tx
      .select()
      .from(forecasts)
      .where(and(eq(forecasts.bailleurId, input.bailleurId), eq(forecasts.year, input.year)))
      .for("update");
    if (existing && input.by === "bailleur" && existing.status !== "draft")
      throw new DomainError(
        "conflict",
        `Votre prévision ${input.year} a été transmise le ${formatParis(existing.submittedAt!)} : seuls les services de l'État peuvent maintenant la corriger.`,
      );
    if (!existing && input.by === "etat")
      throw new DomainError("conflict", "Ce bailleur n'a pas encore saisi sa prévision : relancez-le.");
    const status: ForecastStatus =
      input.submit && (existing?.status ?? "draft") === "draft" ? "submitted" : (existing?.status ?? "draft");
    const submittedAt =
      status === "submitted" && !existing?.submittedAt ? now : (existing?.submittedAt ?? null);
    const [row] = existing
      ? await tx
          .update(forecasts)
          .set({ ...values, status, submittedAt, updatedBy: actor.user.id, updatedAt: now })
          .where(eq(forecasts.id, existing.id))
          .returning()
      : await tx
          .insert(forecasts)
          .values({
            bailleurId: input.bailleurId,
            year: input.year,
            ...values,
            status,
            submittedAt,
            updatedBy: actor.user.id,
            updatedAt: now,
          })
          .returning();
    // A draft gives no rights (DESIGN §3): only a submitted forecast waits for a version.
    const pendingVersion = latest && status !== "draft" ? latest.version + 1 : null;
    await recordAudit(tx, auditActorOf(actor), {
      action:
        input.by === "etat"
          ? "forecast.correct"
          : status === "submitted"
            ? "forecast.submit"
            : "forecast.save",
      subjectType: "Forecast",
      subjectId: row!.id,
      before: existing ? { ...pick(existing), status: existing.status } : null,
      after: { ...values, status, year: input.year, bailleurId: input.bailleurId, pendingVersion },
    });
    return {
      forecast: row!,
      pendingVersion,
      message: pendingVersion ? pendingMessage(input.year, pendingVersion) : null,
    };
  });
}

/** Whether the year is published: the Forecast policy reads published rows differently (réservataires). */
async function isPublished(year: number) {
  return (await versionsOf(year)).length > 0;
}

/** The bailleur saves its forecast, and submits it when asked (page and `PUT /api/v1/forecasts/:year`). */
export async function saveForecast(
  actor: Actor,
  input: { year: number; values: Record<keyof Forecast, unknown>; submit: boolean; now?: Date },
) {
  // Who saves a forecast as its own is who may create one (policies/rules.ts: a bailleur's gestionnaires and
  // signataires); the État may update every row, but corrects it through `correctForecast`.
  if (!actor.ability.can("create", "Forecast"))
    throw new DomainError(
      "forbidden",
      "Seuls les gestionnaires et signataires d'un bailleur transmettent sa prévision ; les services de l'État la corrigent sur la page de l'assiette.",
    );
  const bailleurId = actor.organisation.id;
  ensureCanOn(
    actor.ability,
    "update",
    "Forecast",
    forecastSubject(bailleurId, await isPublished(input.year)),
    "Cette prévision",
  );
  return storeForecast(actor, { ...input, bailleurId, by: "bailleur" });
}

/** The État corrects a bailleur's columns; after the publication the correction goes into the next version. */
export async function correctForecast(
  actor: Actor,
  input: { year: number; bailleurId: string; values: Record<keyof Forecast, unknown>; now?: Date },
) {
  // Another bailleur's row answers 404 before anything else; a bailleur's own submitted row, 403.
  ensureCanOn(
    actor.ability,
    "update",
    "Forecast",
    forecastSubject(input.bailleurId, await isPublished(input.year)),
    "Cette prévision",
  );
  ensureCan(actor.ability, "update", "Assiette", "Seuls les services de l'État corrigent une prévision.");
  return storeForecast(actor, { ...input, submit: false, by: "etat" });
}

/** The État validates a submitted forecast (validation changes no figure: allowed after the publication too). */
export async function validateForecast(
  actor: Actor,
  input: { year: number; forecastId: string; now?: Date },
) {
  const now = input.now ?? new Date();
  const found = await getForecast(input.forecastId);
  ensureCanOn(
    actor.ability,
    "update",
    "Forecast",
    found && found.year === input.year
      ? forecastSubject(found.bailleurId, await isPublished(input.year))
      : undefined,
    "Cette prévision",
  );
  ensureCan(actor.ability, "update", "Assiette", "Seuls les services de l'État valident une prévision.");
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(forecasts)
      .where(eq(forecasts.id, input.forecastId))
      .for("update");
    if (existing!.status === "validated")
      throw new DomainError("conflict", "Cette prévision est déjà validée.");
    if (existing!.status !== "submitted")
      throw new DomainError("conflict", "Cette prévision n'est pas encore transmise par le bailleur.");
    await tx
      .update(forecasts)
      .set({ status: "validated", validatedAt: now, updatedBy: actor.user.id, updatedAt: now })
      .where(eq(forecasts.id, input.forecastId));
    await recordAudit(tx, auditActorOf(actor), {
      action: "forecast.validate",
      subjectType: "Forecast",
      subjectId: input.forecastId,
      before: { status: existing!.status },
      after: { status: "validated" },
    });
  });
}

async function getForecast(forecastId: string) {
  const [row] = await db.select().from(forecasts).where(eq(forecasts.id, forecastId));
  return row ?? null;
}

async function bailleursWithoutForecast(tx: Db, year: number) {
  return tx
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .leftJoin(
      forecasts,
      and(
        eq(forecasts.bailleurId, organisations.id),
        eq(forecasts.year, year),
        inArray(forecasts.status, ["submitted", "validated"]),
      ),
    )
    .where(and(eq(organisations.kind, "bailleur"), isNull(forecasts.id)))
    .orderBy(asc(organisations.name));
}

/** One e-mail per gestionnaire and signataire of every bailleur that has not submitted its forecast yet. */
export async function remindMissingForecasts(actor: Actor, year: number, baseUrl: string) {
  ensureCan(actor.ability, "update", "Assiette", "Seuls les services de l'État relancent les bailleurs.");
  return db.transaction(async (tx) => {
    if (await publicationOf(year, tx))
      throw new DomainError("conflict", `L'assiette ${year} est déjà publiée.`);
    const missing = await bailleursWithoutForecast(tx, year);
    const names = new Map(missing.map((b) => [b.id, b.name]));
    const recipients = await memberEmails(
      tx,
      missing.map((b) => b.id),
      ["gestionnaire", "signataire"],
    );
    for (const r of recipients)
      await enqueueMail(
        tx,
        forecastReminderMail({
          to: r.email,
          bailleurName: names.get(r.organisationId)!,
          year,
          url: `${baseUrl}/assiette/${year}`,
        }),
      );
    await recordAudit(tx, auditActorOf(actor), {
      action: "forecast.remind",
      subjectType: "Assiette",
      subjectId: String(year),
      after: { bailleurs: missing.map((b) => b.name), mails: recipients.length },
    });
    return { bailleurs: missing.length, mails: recipients.length };
  });
}

/** The signataires of every réservataire and bailleur: whom a publication or a rectificatif is announced to. */
async function partnerSignataires(tx: Db) {
  const partners = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(inArray(organisations.kind, [...RESERVATAIRE_KINDS, "bailleur"]));
  return recipients(
    tx,
    partners.map((p) => p.id),
    ["signataire"],
  );
}

/** Freezes a version: its row and the submitted rows of today's table (rates in force included). */
async function insertVersion(
  tx: Db,
  actor: Actor,
  input: { year: number; version: number; reason: string | null; now: Date },
) {
  const [version] = await tx
    .insert(assietteVersions)
    .values({
      year: input.year,
      version: input.version,
      publishedAt: input.now,
      publishedBy: actor.user.id,
      reason: input.reason,
    })
    .returning();
  const rows = (await currentAnnexRows(input.year, tx)).filter(
    (r) => r.forecast && r.forecast.status !== "draft",
  );
  if (rows.length > 0)
    await tx.insert(assietteVersionRows).values(
      rows.map((r) => ({
        year: input.year,
        version: input.version,
        bailleurId: r.bailleur.id,
        forecastId: r.forecast!.id,
        status: r.forecast!.status,
        submittedAt: r.forecast!.submittedAt,
        ...pick(r.forecast!),
        rates: frozenRatesOf(r),
      })),
    );
  return { version: version!, rows };
}

/**
 * Publishes a year's assiette: its version 1, frozen. While some bailleurs have not submitted, the État must confirm
 * explicitly; the réservataires' and bailleurs' signataires are told.
 */
export async function publishAssiette(
  actor: Actor,
  input: { year: number; confirmIncomplete: boolean; baseUrl: string; now?: Date },
) {
  ensureCan(actor.ability, "update", "Assiette", "Seuls les services de l'État publient l'assiette.");
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await lockYear(tx, input.year);
    if (await publicationOf(input.year, tx))
      throw new DomainError(
        "conflict",
        `L'assiette ${input.year} est déjà publiée : une modification passe par un rectificatif (nouvelle version).`,
      );
    const missing = await bailleursWithoutForecast(tx, input.year);
    if (missing.length > 0 && !input.confirmIncomplete) {
      const message = `${missing.length} bailleur(s) n'ont pas transmis leur prévision ${input.year} (${missing
        .map((b) => b.name)
        .join(", ")}) : confirmez explicitement la publication d'une assiette incomplète.`;
      throw new DomainError("invalid", message, { confirmIncomplete: message });
    }
    await tx
      .insert(assiettePublications)
      .values({ year: input.year, publishedAt: now, publishedBy: actor.user.id });
    await insertVersion(tx, actor, { year: input.year, version: 1, reason: null, now });
    const recipients = await partnerSignataires(tx);
    for (const to of recipients)
      await enqueueMail(
        tx,
        assiettePublishedMail({ to, year: input.year, url: `${input.baseUrl}/assiette/${input.year}` }),
      );
    await recordAudit(tx, auditActorOf(actor), {
      action: "assiette.publish",
      subjectType: "Assiette",
      subjectId: String(input.year),
      after: { year: input.year, version: 1, missing: missing.map((b) => b.name) },
    });
    return { publishedAt: now, version: 1, missing: missing.length };
  });
}

/**
 * The État publishes a rectificatif: the next version, from the changes since the last one (late forecasts,
 * corrected columns, rates signed since), with its reason. Letters whose figures change are replaced by new drafts
 * (app/models/avenant-replacement.server.ts); every partner's signataires are told, in the same transaction.
 */
export async function rectifyAssiette(
  actor: Actor,
  input: { year: number; reason: unknown; baseUrl: string; now?: Date },
) {
  ensureCan(
    actor.ability,
    "create",
    "AssietteRectificatif",
    "Seuls les services de l'État publient un rectificatif de l'assiette.",
  );
  const reasonError = rectifyReasonError(input.reason);
  if (reasonError) throw new DomainError("invalid", reasonError, { reason: reasonError });
  const reason = (input.reason as string).trim();
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await lockYear(tx, input.year);
    const pending = await pendingChangesOf(input.year, tx);
    if (!pending)
      throw new DomainError(
        "conflict",
        `L'assiette ${input.year} n'est pas encore publiée : publiez-la d'abord (version 1).`,
      );
    if (pending.changes.length === 0)
      throw new DomainError(
        "conflict",
        `Rien n'a changé depuis la version ${pending.basedOn.version} de l'assiette ${input.year} : pas de rectificatif à publier.`,
      );
    const { version } = await insertVersion(tx, actor, {
      year: input.year,
      version: pending.basedOn.version + 1,
      reason,
      now,
    });
    const frozen = await frozenAnnexRows(tx, input.year, version.version);
    const replaced = await replaceChangedLetters(tx, auditActorOf(actor), { version, rows: frozen, now });
    const changedNames = pending.changes.map(
      (c) => frozen.find((r) => r.bailleur.id === c.bailleurId)?.bailleur.name ?? c.bailleurId,
    );
    const label = versionLabel(version);
    await enqueueMails(tx, [
      {
        ...assietteRectifiedMail({
          to: "",
          year: input.year,
          label,
          reason,
          bailleurs: changedNames,
          replacedLetters: replaced.length,
          url: `${input.baseUrl}/assiette/${input.year}?version=${version.version}`,
        }),
        to: await partnerSignataires(tx),
      },
    ]);
    await recordAudit(tx, auditActorOf(actor), {
      action: "assiette.rectify",
      subjectType: "Assiette",
      subjectId: String(input.year),
      before: { version: pending.basedOn.version },
      after: { version: version.version, reason, changes: pending.changes, replacedLetters: replaced.length },
    });
    return { version, label, changes: pending.changes, replaced };
  });
}

export type AnnexRow = {
  bailleur: { id: string; slug: string; name: string };
  forecast: (Forecast & { id: string; status: ForecastStatus; submittedAt: Date | null; h: number }) | null;
  rates: Record<Contingent, number>;
  /** Null without a forecast, and for a draft: only a submitted forecast gives rights (DESIGN §3). */
  rights: Record<Contingent, { exact: number; rounded: number }> | null;
  /** Each réservataire's one right (rounded once on its whole rate) and the document its rate comes from. */
  reservataires: Record<
    ReservataireKind,
    { rateBp: number; exact: number | null; rounded: number | null; source: RateSource }
  >;
  /** The guaranteeing communes' shares of the MEL's 20 %, each with its right. */
  communes: Array<{
    id: string;
    name: string;
    rateBp: number;
    exact: number | null;
    rounded: number | null;
    source: RateSource;
  }>;
  /** H minus every right: the bailleur's own column. */
  remainder: number | null;
};

/** The bailleurs' rows in Annex 1's order (004 l.504–526), then the others by name. */
function inAnnexOrder(rows: YearRates[]): YearRates[] {
  const rank = (slug: string) => {
    const index = ANNEX1_BAILLEUR_ORDER.indexOf(slug);
    return index < 0 ? ANNEX1_BAILLEUR_ORDER.length : index;
  };
  return rows.sort(
    (x, y) =>
      rank(x.bailleur.slug) - rank(y.bailleur.slug) || x.bailleur.name.localeCompare(y.bailleur.name, "fr"),
  );
}

type AnnexForecast = Forecast & { id: string; status: ForecastStatus; submittedAt: Date | null };

/** One bailleur's row from its forecast and its rates (one rounding per right, the remainder being its own). */
function annexRow({ bailleur, rates, communes, sources }: YearRates, f: AnnexForecast | undefined): AnnexRow {
  const h = f ? assietteH(f) : null;
  const computed =
    f && f.status !== "draft"
      ? bailleurRights(
          h!,
          rates,
          communes.map((c) => c.rateBp),
        )
      : null;
  return {
    bailleur,
    forecast: f ? { ...pick(f), id: f.id, status: f.status, submittedAt: f.submittedAt, h: h! } : null,
    rates,
    rights: computed?.byContingent ?? null,
    reservataires: Object.fromEntries(
      RESERVATAIRE_KINDS.map((kind) => [
        kind,
        {
          rateBp: reservataireRateBp(kind, rates),
          exact: computed?.byReservataire[kind].exact ?? null,
          rounded: computed?.byReservataire[kind].rounded ?? null,
          source: sources[kind],
        },
      ]),
    ) as AnnexRow["reservataires"],
    communes: communes.map((c, i) => ({
      ...c,
      exact: computed?.communes[i]?.exact ?? null,
      rounded: computed?.communes[i]?.rounded ?? null,
    })),
    remainder: computed?.remainder ?? null,
  };
}

/** Today's table of a year: every forecast as it stands and the rates signed for the year (the next version). */
async function currentAnnexRows(year: number, tx: Db = db): Promise<AnnexRow[]> {
  const [yearRates, yearForecasts] = await Promise.all([
    ratesOfYear(tx, year),
    tx.select().from(forecasts).where(eq(forecasts.year, year)),
  ]);
  const byBailleur = new Map(yearForecasts.map((f) => [f.bailleurId, f]));
  return inAnnexOrder(yearRates).map((r) => annexRow(r, byBailleur.get(r.bailleur.id)));
}

/** A guaranteeing commune's share among a version's frozen rates. */
const COMMUNE_KEY = "commune:";

/** The rates a version freezes: each contingent's, and each guaranteeing commune's share of the MEL's. */
function frozenRatesOf(row: Pick<AnnexRow, "rates" | "communes">): Record<string, number> {
  return {
    ...row.rates,
    ...Object.fromEntries(row.communes.map((c) => [`${COMMUNE_KEY}${c.id}`, c.rateBp])),
  };
}

/**
 * A published version's table as it was frozen: its forecasts and its rates, not today's (a rate signed later waits
 * for the next version); the documents named are the year's. Bailleurs it does not hold have no row figures.
 */
export async function frozenAnnexRows(tx: Db, year: number, version: number): Promise<AnnexRow[]> {
  const [yearRates, frozen] = await Promise.all([
    ratesOfYear(tx, year),
    tx
      .select()
      .from(assietteVersionRows)
      .where(and(eq(assietteVersionRows.year, year), eq(assietteVersionRows.version, version))),
  ]);
  const byBailleur = new Map(frozen.map((f) => [f.bailleurId, f]));
  return inAnnexOrder(yearRates).map((today) => {
    const f = byBailleur.get(today.bailleur.id);
    if (!f) return annexRow(today, undefined);
    const named = new Map(today.communes.map((c) => [c.id, c]));
    const rates = { ...today.rates };
    const communes: YearRates["communes"] = [];
    for (const [key, rateBp] of Object.entries(f.rates)) {
      if (!key.startsWith(COMMUNE_KEY)) rates[key as Contingent] = rateBp;
      else {
        const id = key.slice(COMMUNE_KEY.length);
        const known = named.get(id);
        communes.push({
          id,
          name: known?.name ?? "Commune garante",
          rateBp,
          source: known?.source ?? today.sources.metropole,
        });
      }
    }
    return annexRow({ ...today, rates, communes }, { ...f, id: f.forecastId! });
  });
}

/**
 * Every bailleur's Annex 1 row for a year (callers filter what the actor may read): once published, the chosen
 * version (the latest by default) as it was frozen; before, today's forecasts.
 */
export async function annexRows(tx: Db, year: number, version?: number): Promise<AnnexRow[]> {
  const chosen = version ?? (await versionsOf(year, tx)).at(-1)?.version;
  return chosen === undefined ? currentAnnexRows(year, tx) : frozenAnnexRows(tx, year, chosen);
}

const frozenOf = (rows: AnnexRow[]): Map<string, FrozenRow> =>
  new Map(
    rows
      .filter((r) => r.forecast && r.forecast.status !== "draft")
      .map((r) => [r.bailleur.id, { ...pick(r.forecast!), rates: frozenRatesOf(r) }]),
  );

/** What the next version would change, against the latest one; null before the publication. */
async function pendingChangesOf(
  year: number,
  tx: Db = db,
): Promise<{ basedOn: AssietteVersion; changes: RowChange[] } | null> {
  const basedOn = (await versionsOf(year, tx)).at(-1);
  if (!basedOn) return null;
  const [frozen, current] = await Promise.all([
    frozenAnnexRows(tx, year, basedOn.version),
    currentAnnexRows(year, tx),
  ]);
  return { basedOn, changes: pendingChanges(frozenOf(frozen), frozenOf(current)) };
}

/** The bailleurs of the partners' directory (a convention's other party), by name. */
export async function listBailleurs(actor: Actor) {
  ensureCan(actor.ability, "read", "Organisation");
  return db
    .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.kind, "bailleur"))
    .orderBy(asc(organisations.name));
}

const NO_ORGANISATION = "00000000-0000-0000-0000-000000000000";

/** The policy's view of a forecast row: whose it is, and whether its year is published. */
export const forecastSubject = (bailleurId: string, published: boolean) => ({
  organisationId: bailleurId,
  published,
});

/**
 * The Annex 1 table of a year as one actor may read it (DESIGN §4): rows filtered by the Forecast policy; once
 * published, the version asked for (`?version=N`, 404 when there is none) or the latest.
 */
export async function readableAnnex(actor: Actor, year: number, version?: number) {
  ensureCan(actor.ability, "read", "Assiette");
  const versions = await versionsOf(year);
  const chosen = version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
  if (version !== undefined && !chosen)
    throw new DomainError(
      "not_found",
      `L'assiette ${year} n'a pas de version ${version} publiée${versions.length > 0 ? ` : versions 1 à ${versions.length}` : ""}.`,
    );
  const rows = chosen ? await frozenAnnexRows(db, year, chosen.version) : await currentAnnexRows(year);
  const canRead = (row: ReturnType<typeof forecastSubject>) =>
    actor.ability.can("read", asSubject("Forecast", row));
  const visible = rows.filter((r) => canRead(forecastSubject(r.bailleur.id, chosen !== undefined)));
  // Whoever reads every row, published or not (État, MEL, URH), follows who has submitted; the others (réservataires
  // reading a published table, a bailleur its own row) see the rows that have figures.
  const readsAll = canRead(forecastSubject(NO_ORGANISATION, false));
  return {
    year,
    version: chosen ?? null,
    latest: versions.at(-1) ?? null,
    readsAll,
    rows: readsAll ? visible : visible.filter((r) => r.forecast !== null),
    submitted: rows.filter((r) => r.forecast && r.forecast.status !== "draft").length,
    total: rows.length,
  };
}

/** A year in a URL: four digits within the life of the portal, else 404 like an unknown page. */
export function yearParam(value: string | undefined): number {
  const year = Number(value);
  if (!/^\d{4}$/.test(value ?? "") || year < 2015 || year > 2100)
    throw new DomainError(
      "not_found",
      "Année inconnue : indiquez une année sur quatre chiffres, par exemple 2026.",
    );
  return year;
}

/** `?version=N` of a URL: absent (the latest), or a positive whole number (else 400). */
export function versionParam(url: string): number | undefined {
  const { version } = Object.fromEntries(new URL(url).searchParams);
  const parsed = assietteQuerySchema.safeParse({ version: version || undefined });
  if (!parsed.success)
    throw new DomainError(
      "invalid",
      "Version invalide : indiquez un numéro de version, par exemple ?version=2.",
    );
  return parsed.data.version;
}

/** The JSON of one version: its number, date, reason and the label every figure cites. */
export const versionJson = (v: AssietteVersion) => ({
  version: v.version,
  publishedAt: v.publishedAt,
  reason: v.reason,
  label: versionLabel(v),
});

/** The JSON form of one Annex 1 row. */
export function annexRowJson(r: AnnexRow) {
  return {
    bailleur: r.bailleur,
    forecastId: r.forecast?.id ?? null,
    status: (r.forecast?.status ?? "missing") as ForecastStatus | "missing",
    submittedAt: r.forecast?.submittedAt ?? null,
    forecast: r.forecast ? pick(r.forecast) : null,
    h: r.forecast?.h ?? null,
    remainder: r.remainder,
    reservataires: r.reservataires,
    communes: r.communes,
    rights: Object.fromEntries(
      Object.entries(r.rates).map(([contingent, rateBp]) => [
        contingent,
        { rateBp, ...(r.rights ? r.rights[contingent as Contingent] : { exact: null, rounded: null }) },
      ]),
    ),
  };
}

/** The JSON form of a readable Annex 1 table (API and exports): which version its figures come from. */
export function annexJson(annex: Awaited<ReturnType<typeof readableAnnex>>) {
  return {
    year: annex.year,
    published: annex.latest !== null,
    version: annex.version?.version ?? null,
    publishedAt: annex.version?.publishedAt ?? null,
    reason: annex.version?.reason ?? null,
    versionLabel: annex.version ? versionLabel(annex.version) : null,
    latestVersion: annex.latest?.version ?? null,
    roundingRule: ROUNDING_RULE,
    ...(annex.readsAll ? { submitted: annex.submitted, total: annex.total } : {}),
    rows: annex.rows.map(annexRowJson),
  };
}

/** How a letter names the version its figures come from (null when the year has no such version). */
export async function versionLabelOf(actor: Actor, year: number, version: number): Promise<string | null> {
  ensureCan(actor.ability, "read", "Assiette");
  const found = (await versionsOf(year)).find((v) => v.version === version);
  return found ? versionLabel(found) : null;
}

/**
 * The version a report's rights and contingents come from at `at` (DESIGN §3: every figure names its version): the
 * latest published by then, so a bilan sent before a rectificatif keeps naming the version it was sent under.
 */
export async function versionInForce(
  year: number,
  at = new Date(),
): Promise<{ version: number; versionLabel: string } | null> {
  const found = (await versionsOf(year)).filter((v) => v.publishedAt <= at).at(-1);
  return found ? { version: found.version, versionLabel: versionLabel(found) } : null;
}

/** Whether a year's assiette is published (its version 1 exists). */
export async function assiettePublished(actor: Actor, year: number) {
  ensureCan(actor.ability, "read", "Assiette");
  return isPublished(year);
}

/**
 * The latest published version of a year, in a step's transaction; null before the publication (1 for a publication
 * without its version row, as migration 0019 gave every earlier one).
 */
export async function publishedVersionIn(tx: Db, year: number): Promise<number | null> {
  if (!(await publicationOf(year, tx))) return null;
  return (await versionsOf(year, tx)).at(-1)?.version ?? 1;
}

/**
 * The bailleur's own row as it stands today, whether or not the year is published (a late forecast or a correction
 * waits for the next version, which `pendingVersion` names); undefined for an organisation that has no row.
 */
export async function ownForecast(actor: Actor, year: number) {
  const published = await isPublished(year);
  ensureCanOn(
    actor.ability,
    "read",
    "Forecast",
    forecastSubject(actor.organisation.id, published),
    "Cette prévision",
  );
  const row = (await currentAnnexRows(year)).find((r) => r.bailleur.id === actor.organisation.id);
  const pending = published ? await pendingChangesOf(year) : null;
  return {
    row,
    pendingVersion: pending?.changes.some((c) => c.bailleurId === actor.organisation.id)
      ? pending.basedOn.version + 1
      : null,
  };
}

/** The versions of a year; whoever may publish a rectificatif also gets what the next one would change. */
export async function assietteVersionsOf(actor: Actor, year: number) {
  ensureCan(actor.ability, "read", "Assiette");
  const versions = (await versionsOf(year)).map(versionJson);
  if (!actor.ability.can("create", "AssietteRectificatif")) return { year, versions };
  const pending = await pendingChangesOf(year);
  return {
    year,
    versions,
    pending: pending && {
      version: pending.basedOn.version + 1,
      changes: await namedChanges(pending.changes),
    },
  };
}

/** Changes with their bailleur's name (for the page and the API). */
async function namedChanges(changes: RowChange[]) {
  if (changes.length === 0) return [];
  const names = await db
    .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
    .from(organisations)
    .where(
      inArray(
        organisations.id,
        changes.map((c) => c.bailleurId),
      ),
    );
  const byId = new Map(names.map((n) => [n.id, n]));
  return changes.map(({ bailleurId, ...change }) => ({ bailleur: byId.get(bailleurId)!, ...change }));
}
