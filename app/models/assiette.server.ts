import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { type Db, db } from "#db/client.server";
import {
  assiettePublications,
  type ForecastStatus,
  forecasts,
  memberships,
  organisations,
  type Role,
  users,
} from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import { assiettePublishedMail, forecastReminderMail } from "#emails/templates";
import { ANNEX1_BAILLEUR_ORDER } from "#seed/organisations";
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
import { type AuditActor, recordAudit } from "~/lib/audit.server";
import { formatParis } from "~/lib/dates";
import { httpError } from "~/lib/http.server";
import { type RateSource, ratesOfYear } from "./contingents.server";

/** Active members of these organisations holding one of these roles: who an e-mail about them goes to. */
export async function memberEmails(
  tx: Db,
  organisationIds: string[],
  roles: Role[],
): Promise<Array<{ organisationId: string; email: string }>> {
  if (organisationIds.length === 0) return [];
  return tx
    .select({ organisationId: memberships.organisationId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        inArray(memberships.organisationId, organisationIds),
        isNull(memberships.deactivatedAt),
        isNull(users.deactivatedAt),
        // Roles come from the fixed ROLES enum, never from input: safe to inline.
        sql`${memberships.roles} && ${sql.raw(`ARRAY[${roles.map((r) => `'${r}'`).join(",")}]::text[]`)}`,
      ),
    );
}

export const RESERVATAIRE_KINDS = Object.keys(CONTINGENTS_OF_RESERVATAIRE) as ReservataireKind[];

export async function publicationOf(year: number, tx: Db = db) {
  const [row] = await tx.select().from(assiettePublications).where(eq(assiettePublications.year, year));
  return row ?? null;
}

/** Serialises a year's forecast changes and its publication (a transaction-level advisory lock). */
async function lockYear(tx: Db, year: number) {
  await tx.execute(sql`select pg_advisory_xact_lock(7345100, ${year})`);
}

const FORECAST_KEYS = ["a", "b", "c", "d", "e", "f", "g"] as const;
const pick = (row: Forecast): Forecast =>
  Object.fromEntries(FORECAST_KEYS.map((k) => [k, row[k]])) as unknown as Forecast;

/**
 * Saves a bailleur's forecast (A–G) for a year, and submits it when asked. The bailleur may change it until it is
 * submitted; the État may correct it until the assiette is published (004 lines 146–150; DESIGN §4).
 */
export async function saveForecast(
  actor: AuditActor,
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
    throw httpError(400, errors.form ?? "La prévision est incomplète ou invalide : corrigez les colonnes.", {
      errors,
    });
  const values = pick(input.values as Forecast);
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await lockYear(tx, input.year);
    if (await publicationOf(input.year, tx))
      throw httpError(409, `L'assiette ${input.year} est publiée : la prévision ne peut plus être modifiée.`);
    const [existing] = await tx
      .select()
      .from(forecasts)
      .where(and(eq(forecasts.bailleurId, input.bailleurId), eq(forecasts.year, input.year)))
      .for("update");
    if (existing && input.by === "bailleur" && existing.status !== "draft")
      throw httpError(
        409,
        `Votre prévision ${input.year} a été transmise le ${formatParis(existing.submittedAt!)} : seuls les services de l'État peuvent maintenant la corriger.`,
      );
    if (!existing && input.by === "etat")
      throw httpError(409, "Ce bailleur n'a pas encore saisi sa prévision : relancez-le.");
    const status: ForecastStatus =
      input.submit && (existing?.status ?? "draft") === "draft" ? "submitted" : (existing?.status ?? "draft");
    const submittedAt =
      status === "submitted" && !existing?.submittedAt ? now : (existing?.submittedAt ?? null);
    const [row] = existing
      ? await tx
          .update(forecasts)
          .set({ ...values, status, submittedAt, updatedBy: actor.userId, updatedAt: now })
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
            updatedBy: actor.userId,
            updatedAt: now,
          })
          .returning();
    await recordAudit(tx, actor, {
      action:
        input.by === "etat"
          ? "forecast.correct"
          : status === "submitted"
            ? "forecast.submit"
            : "forecast.save",
      subjectType: "Forecast",
      subjectId: row!.id,
      before: existing ? { ...pick(existing), status: existing.status } : null,
      after: { ...values, status, year: input.year, bailleurId: input.bailleurId },
    });
    return row!;
  });
}

/** The État validates a submitted forecast. */
export async function validateForecast(actor: AuditActor, forecastId: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(forecasts).where(eq(forecasts.id, forecastId)).for("update");
    if (!existing) throw httpError(404, "Cette prévision est introuvable.");
    await lockYear(tx, existing.year);
    if (await publicationOf(existing.year, tx))
      throw httpError(409, `L'assiette ${existing.year} est déjà publiée.`);
    if (existing.status === "validated") throw httpError(409, "Cette prévision est déjà validée.");
    if (existing.status !== "submitted")
      throw httpError(409, "Cette prévision n'est pas encore transmise par le bailleur.");
    await tx
      .update(forecasts)
      .set({ status: "validated", validatedAt: now, updatedBy: actor.userId, updatedAt: now })
      .where(eq(forecasts.id, forecastId));
    await recordAudit(tx, actor, {
      action: "forecast.validate",
      subjectType: "Forecast",
      subjectId: forecastId,
      before: { status: existing.status },
      after: { status: "validated" },
    });
  });
}

export async function getForecast(forecastId: string) {
  const [row] = await db.select().from(forecasts).where(eq(forecasts.id, forecastId));
  return row ?? null;
}

export async function forecastOf(bailleurId: string, year: number) {
  const [row] = await db
    .select()
    .from(forecasts)
    .where(and(eq(forecasts.bailleurId, bailleurId), eq(forecasts.year, year)));
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
export async function remindMissingForecasts(actor: AuditActor, year: number, baseUrl: string) {
  return db.transaction(async (tx) => {
    if (await publicationOf(year, tx)) throw httpError(409, `L'assiette ${year} est déjà publiée.`);
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
    await recordAudit(tx, actor, {
      action: "forecast.remind",
      subjectType: "Assiette",
      subjectId: String(year),
      after: { bailleurs: missing.map((b) => b.name), mails: recipients.length },
    });
    return { bailleurs: missing.length, mails: recipients.length };
  });
}

/**
 * Publishes a year's assiette. While some bailleurs have not submitted, the État must confirm explicitly; the
 * réservataires' and bailleurs' signataires are told.
 */
export async function publishAssiette(
  actor: AuditActor,
  input: { year: number; confirmIncomplete: boolean; baseUrl: string; now?: Date },
) {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await lockYear(tx, input.year);
    if (await publicationOf(input.year, tx))
      throw httpError(409, `L'assiette ${input.year} est déjà publiée.`);
    const missing = await bailleursWithoutForecast(tx, input.year);
    if (missing.length > 0 && !input.confirmIncomplete)
      throw httpError(
        400,
        `${missing.length} bailleur(s) n'ont pas transmis leur prévision ${input.year} (${missing
          .map((b) => b.name)
          .join(", ")}) : confirmez explicitement la publication d'une assiette incomplète.`,
        { missing: missing.map((b) => b.name) },
      );
    await tx
      .insert(assiettePublications)
      .values({ year: input.year, publishedAt: now, publishedBy: actor.userId });
    const partners = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(inArray(organisations.kind, [...RESERVATAIRE_KINDS, "bailleur"]));
    const recipients = await memberEmails(
      tx,
      partners.map((p) => p.id),
      ["signataire"],
    );
    for (const r of recipients)
      await enqueueMail(
        tx,
        assiettePublishedMail({
          to: r.email,
          year: input.year,
          url: `${input.baseUrl}/assiette/${input.year}`,
        }),
      );
    await recordAudit(tx, actor, {
      action: "assiette.publish",
      subjectType: "Assiette",
      subjectId: String(input.year),
      after: { year: input.year, missing: missing.map((b) => b.name) },
    });
    return { publishedAt: now, missing: missing.length };
  });
}

export type AnnexRow = {
  bailleur: { id: string; slug: string; name: string };
  forecast: (Forecast & { id: string; status: ForecastStatus; submittedAt: Date | null; h: number }) | null;
  rates: Record<Contingent, number>;
  /** Null while the forecast is missing or a draft: only a submitted forecast gives rights (DESIGN §3). */
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

/** Every bailleur's Annex 1 row for a year (callers filter what the actor may read), from the year's signed rates. */
export async function annexRows(year: number, tx: Db = db): Promise<AnnexRow[]> {
  const [yearRates, yearForecasts] = await Promise.all([
    ratesOfYear(year, tx),
    tx.select().from(forecasts).where(eq(forecasts.year, year)),
  ]);
  const byBailleur = new Map(yearForecasts.map((f) => [f.bailleurId, f]));
  const rank = (slug: string) => {
    const index = ANNEX1_BAILLEUR_ORDER.indexOf(slug);
    return index < 0 ? ANNEX1_BAILLEUR_ORDER.length : index;
  };
  yearRates.sort(
    (x, y) =>
      rank(x.bailleur.slug) - rank(y.bailleur.slug) || x.bailleur.name.localeCompare(y.bailleur.name, "fr"),
  );
  return yearRates.map(({ bailleur, rates, communes, sources }) => {
    const f = byBailleur.get(bailleur.id);
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
        exact: computed?.communes[i]!.exact ?? null,
        rounded: computed?.communes[i]!.rounded ?? null,
      })),
      remainder: computed?.remainder ?? null,
    };
  });
}

export async function listBailleurs() {
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

/** The Annex 1 table of a year as one actor may read it (DESIGN §4): rows filtered by the Forecast policy. */
export async function readableAnnex(
  canRead: (row: ReturnType<typeof forecastSubject>) => boolean,
  year: number,
) {
  const [publication, rows] = await Promise.all([publicationOf(year), annexRows(year)]);
  const published = publication !== null;
  const visible = rows.filter((r) => canRead(forecastSubject(r.bailleur.id, published)));
  // Whoever reads every row, published or not (État, MEL, URH), follows who has submitted; the others (réservataires
  // reading a published table, a bailleur its own row) see the rows that have figures.
  const readsAll = canRead(forecastSubject(NO_ORGANISATION, false));
  return {
    year,
    publication,
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
    throw httpError(404, "Année inconnue : indiquez une année sur quatre chiffres, par exemple 2026.");
  return year;
}

/** The JSON form of a readable Annex 1 table (API and exports). */
export function annexJson(annex: Awaited<ReturnType<typeof readableAnnex>>) {
  return {
    year: annex.year,
    published: annex.publication !== null,
    publishedAt: annex.publication?.publishedAt ?? null,
    roundingRule: ROUNDING_RULE,
    ...(annex.readsAll ? { submitted: annex.submitted, total: annex.total } : {}),
    rows: annex.rows.map((r) => ({
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
    })),
  };
}
