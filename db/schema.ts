import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** Kinds of partner organisations (DESIGN §2). */
export const ORGANISATION_KINDS = [
  "metropole",
  "etat",
  "departement",
  "urh",
  "action_logement",
  "sicf",
  "bailleur",
  "commune",
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Roles inside an organisation (DESIGN §2); a member may hold several. */
export const ROLES = ["admin", "signataire", "gestionnaire", "lecteur"] as const;
export type Role = (typeof ROLES)[number];

export const organisationKind = pgEnum("organisation_kind", ORGANISATION_KINDS);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
/** A required reference to an organisation / a user (the references are resolved lazily, so order does not matter). */
const organisationRef = (column: string) =>
  uuid(column)
    .notNull()
    .references(() => organisations.id);
const userRef = (column: string) =>
  uuid(column)
    .notNull()
    .references(() => users.id);

export const organisations = pgTable("organisations", {
  id: uuid("id").primaryKey().defaultRandom(),
  kind: organisationKind("kind").notNull(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  inseeCode: text("insee_code").unique(),
  siren: text("siren"),
  createdAt: createdAt(),
});

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** Always stored lower-cased and trimmed. */
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash"),
  deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
  /** Signalement mails: each as it happens, or one daily digest (issue 16). */
  signalementMails: text("signalement_mails").$type<"immediate" | "digest">().notNull().default("immediate"),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  "memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: userRef("user_id"),
    organisationId: organisationRef("organisation_id"),
    roles: text("roles").array().$type<Role[]>().notNull(),
    /** A deactivated member keeps the row (history) but loses every right in that organisation. */
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("memberships_user_organisation").on(t.userId, t.organisationId),
    index("memberships_organisation").on(t.organisationId),
  ],
);

/** Lucia sessions; `organisationId` is the organisation the user acts for in this session. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: userRef("user_id"),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    organisationId: uuid("organisation_id").references(() => organisations.id),
    /** An absolute lifetime counts from here, however active the session (app/lib/auth.server.ts). */
    createdAt: createdAt(),
    /** Shown in « Mon compte » (active sessions); updated at most every few minutes. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    ip: text("ip"),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

/** Single-use tokens sent by e-mail: only their SHA-256 is stored. One pending invitation per address and organisation. */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: organisationRef("organisation_id"),
    email: text("email").notNull(),
    roles: text("roles").array().$type<Role[]>().notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: uuid("invited_by").references(() => users.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("invitations_pending_email")
      .on(t.organisationId, t.email)
      .where(sql`accepted_at is null and revoked_at is null`),
  ],
);

export const passwordResets = pgTable("password_resets", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: userRef("user_id"),
  tokenHash: text("token_hash").notNull().unique(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  /** The address that asked: resets are limited per address as well as per account. */
  ip: text("ip"),
  createdAt: createdAt(),
});

/** What an API token may do: read only, or read and write. */
export const API_TOKEN_SCOPES = ["read", "write"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** Personal access tokens for the API, bound to one organisation; only the SHA-256 is stored. */
export const apiTokens = pgTable("api_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: userRef("user_id"),
  organisationId: organisationRef("organisation_id"),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  /** First characters of the token, shown so that its owner can recognise it. */
  prefix: text("prefix").notNull(),
  scope: text("scope").$type<ApiTokenScope>().notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  createdAt: createdAt(),
});

/**
 * Login attempts, for the throttle only (app/lib/auth.server.ts): a row is reserved before the password is checked
 * (succeeded null), then marked. The audit log keeps the history.
 */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    succeeded: boolean("succeeded"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("login_attempts_email_at").on(t.email, t.at), index("login_attempts_ip_at").on(t.ip, t.at)],
);

/** Append-only: a trigger (migration 0001) refuses UPDATE, DELETE and TRUNCATE. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    organisationId: uuid("organisation_id"),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id"),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [index("audit_log_organisation_at").on(t.organisationId, t.at)],
);

export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    /** When the mail is next due; while a sender holds it, the end of its lease (due again should that sender die). */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    /** Given up: refused for good by the SMTP server (5xx) or too many temporary failures; `lastError` says why. */
    failedAt: timestamp("failed_at", { withTimezone: true }),
  },
  (t) => [
    index("email_outbox_pending")
      .on(t.nextAttemptAt)
      .where(sql`${t.sentAt} is null and ${t.failedAt} is null`),
  ],
);

/**
 * Signalement news kept for users who chose the daily digest: the digest job turns each user's pending lines into
 * one mail and stamps them (`digestedAt`).
 */
export const mailDigestItems = pgTable(
  "mail_digest_items",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** One line: what happened, on which signalement, with its link. */
    line: text("line").notNull(),
    createdAt: createdAt(),
    digestedAt: timestamp("digested_at", { withTimezone: true }),
  },
  (t) => [index("mail_digest_items_pending").on(t.userId, t.id).where(sql`${t.digestedAt} is null`)],
);

// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────
// Yearly cycle (issue 3): forecasts and assiette (Annex 1 of the convention cadre, 004 lines 502–526), negotiated
// rates, courriers valant avenant (004 line 154; model convention art. 2, line 593).
// ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────

export const FORECAST_STATUSES = ["draft", "submitted", "validated"] as const;
export type ForecastStatus = (typeof FORECAST_STATUSES)[number];

/** Columns A to G of Annex 1 (counts of attributions): a forecast, and a row of a published version. */
const forecastColumns = () => ({
  a: integer("a").notNull(),
  b: integer("b").notNull(),
  c: integer("c").notNull(),
  d: integer("d").notNull(),
  e: integer("e").notNull(),
  f: integer("f").notNull(),
  g: integer("g").notNull(),
});

/** One bailleur's forecast for one year, columns A to G (counts of attributions). */
export const forecasts = pgTable(
  "forecasts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bailleurId: organisationRef("bailleur_id"),
    year: integer("year").notNull(),
    ...forecastColumns(),
    status: text("status").$type<ForecastStatus>().notNull().default("draft"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    validatedAt: timestamp("validated_at", { withTimezone: true }),
    updatedBy: uuid("updated_by").references(() => users.id),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("forecasts_bailleur_year").on(t.bailleurId, t.year),
    index("forecasts_year").on(t.year),
  ],
);

/** The État's publication of a year's assiette (one row per published year). */
export const assiettePublications = pgTable("assiette_publications", {
  year: integer("year").primaryKey(),
  publishedAt: timestamp("published_at", { withTimezone: true }).notNull(),
  publishedBy: uuid("published_by").references(() => users.id),
});

/**
 * Each published version of a year's assiette (DESIGN §3 « A published assiette is frozen »): version 1 at the
 * publication, then one per rectificatif, with the État's reason. Never updated (trigger in its migration).
 */
export const assietteVersions = pgTable(
  "assiette_versions",
  {
    year: integer("year").notNull(),
    version: integer("version").notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull(),
    publishedBy: uuid("published_by").references(() => users.id),
    /** Why the État publishes a rectificatif; null for version 1. */
    reason: text("reason"),
  },
  (t) => [primaryKey({ columns: [t.year, t.version] })],
);

/**
 * A bailleur's row as a version froze it: the submitted forecast (A–G) and the rates in force at publication (basis
 * points by contingent). Rights are computed from these by app/domain/rights.ts. Only submitted forecasts are frozen.
 */
export const assietteVersionRows = pgTable(
  "assiette_version_rows",
  {
    year: integer("year").notNull(),
    version: integer("version").notNull(),
    bailleurId: organisationRef("bailleur_id"),
    forecastId: uuid("forecast_id").references(() => forecasts.id),
    status: text("status").$type<ForecastStatus>().notNull(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    ...forecastColumns(),
    rates: jsonb("rates").$type<Record<string, number>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.year, t.version, t.bailleurId] }),
    foreignKey({
      columns: [t.year, t.version],
      foreignColumns: [assietteVersions.year, assietteVersions.version],
    }),
  ],
);

/**
 * The signed rates (basis points) per réservataire × bailleur × year beyond the convention cadre's fixed ones: ALS's
 * own contingent (outside its 1,3 % rétrocession), the SICF, the Département once activated, a guaranteeing commune's
 * share of the MEL's 20 % (004 l.168–204). Written when the convention they come from is signed by every party
 * (`conventionId`); rows without one are the rates entered before conventions carried them, bound to the years that
 * used them (migration signed_rates). Rules: app/domain/rights.ts.
 */
export const negotiatedRates = pgTable(
  "negotiated_rates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reservataireId: organisationRef("reservataire_id"),
    bailleurId: organisationRef("bailleur_id"),
    year: integer("year").notNull(),
    rateBp: integer("rate_bp").notNull(),
    conventionId: uuid("convention_id").references(() => conventions.id),
    updatedBy: uuid("updated_by").references(() => users.id),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("negotiated_rates_pair_year").on(t.reservataireId, t.bailleurId, t.year),
    index("negotiated_rates_year_bailleur").on(t.year, t.bailleurId),
  ],
);

export const AVENANT_STATUSES = [
  "draft",
  "sent",
  "accepted",
  "contested",
  "tacitly_accepted",
  "withdrawn",
  /** Replaced by a new letter after a rectificatif of the assiette changed its figures (`replacedBy`). */
  "replaced",
] as const;
export type AvenantStatus = (typeof AVENANT_STATUSES)[number];

/** A courrier valant avenant: one réservataire × bailleur × year. */
export const avenants = pgTable(
  "avenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reservataireId: organisationRef("reservataire_id"),
    bailleurId: organisationRef("bailleur_id"),
    year: integer("year").notNull(),
    rateBp: integer("rate_bp").notNull(),
    /** H, the assiette of the flux of this bailleur for the year. */
    fluxH: integer("flux_h").notNull(),
    /** The rounded rights (ROUNDING_RULE). */
    rights: integer("rights").notNull(),
    status: text("status").$type<AvenantStatus>().notNull().default("draft"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    sentBy: uuid("sent_by").references(() => users.id),
    /** Exclusive end of the two-month period (avenantDeadline().endsAt) and its Paris calendar day. */
    deadlineEndsAt: timestamp("deadline_ends_at", { withTimezone: true }),
    deadlineLastDay: text("deadline_last_day"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    answeredBy: uuid("answered_by").references(() => users.id),
    contestReason: text("contest_reason"),
    reminder15SentAt: timestamp("reminder15_sent_at", { withTimezone: true }),
    reminder3SentAt: timestamp("reminder3_sent_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    /** The version of the year's assiette the letter's figures come from (assiette_versions). */
    assietteVersion: integer("assiette_version").notNull().default(1),
    /** The letter that replaced this one after a rectificatif (status `replaced`). */
    replacedBy: uuid("replaced_by").references((): AnyPgColumn => avenants.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One current letter per pair and year; replaced ones stay beside it, readable.
    uniqueIndex("avenants_pair_year")
      .on(t.reservataireId, t.bailleurId, t.year)
      .where(sql`${t.status} <> 'replaced'`),
    index("avenants_bailleur_year").on(t.bailleurId, t.year),
    index("avenants_sent_deadline").on(t.deadlineEndsAt).where(sql`${t.status} = 'sent'`),
  ],
);

/** What a bailleur contests in a letter: H (the assiette, answered by the État), the rate (the réservataire), both. */
export const AVENANT_CONTEST_PARTS = ["h", "rate", "both"] as const;
export type AvenantContestPart = (typeof AVENANT_CONTEST_PARTS)[number];
export const AVENANT_MESSAGE_KINDS = ["contest", "revise", "maintain"] as const;
export type AvenantMessageKind = (typeof AVENANT_MESSAGE_KINDS)[number];

/**
 * The dispute thread of a letter (app/domain/avenant-dispute.ts): the bailleur's contest (what and why), then each
 * answer of the party that can change the contested part, with its written reply. Never edited.
 */
export const avenantMessages = pgTable(
  "avenant_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    avenantId: uuid("avenant_id")
      .notNull()
      .references(() => avenants.id),
    /** The letter's version the message is about. */
    letterVersion: integer("letter_version").notNull(),
    kind: text("kind").$type<AvenantMessageKind>().notNull(),
    /** A contest: what it contests; an answer: the part it answers ("h" or "rate"). */
    part: text("part").$type<AvenantContestPart>().notNull(),
    text: text("text").notNull(),
    /** A revised rate (revise of the rate). */
    rateBp: integer("rate_bp"),
    authorId: userRef("author_id"),
    organisationId: organisationRef("organisation_id"),
    createdAt: createdAt(),
  },
  (t) => [index("avenant_messages_avenant").on(t.avenantId, t.createdAt)],
);

// ═════════════════════════════════════════════════════════════════════════════════════════════════════════════════
// Signalements (issue 4): a commune signals a household to bailleurs, who follow it up. Personal data: read only by
// the commune, the addressed bailleurs and the MEL; every read of a household's detail is logged; anonymised after
// the retention period. Rules in app/domain/signalement.ts.
// ═════════════════════════════════════════════════════════════════════════════════════════════════════════════════

type SignalementDomain = typeof import("../app/domain/signalement");
type HousingDomain = typeof import("../app/domain/housing");
type SignalementStatusValue = SignalementDomain["SIGNALEMENT_STATUSES"][number];

export const signalements = pgTable(
  "signalements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The commune that signals (and owns) the signalement. */
    communeId: organisationRef("commune_id"),
    /** SNE numéro unique, normalised; null once anonymised. */
    numeroUnique: text("numero_unique"),
    adults: integer("adults").notNull(),
    children: integer("children").notNull(),
    typology: text("typology").$type<HousingDomain["TYPOLOGIES"][number]>().notNull(),
    /** INSEE codes of the communes wanted. */
    communesWanted: text("communes_wanted").array().notNull(),
    publicCategory: text("public_category").$type<SignalementDomain["PUBLIC_CATEGORIES"][number]>().notNull(),
    incomeQuartile: integer("income_quartile"),
    urgency: text("urgency").$type<SignalementDomain["URGENCIES"][number]>().notNull(),
    /** Short reason; null once anonymised. */
    reason: text("reason"),
    status: text("status").$type<SignalementStatusValue>().notNull().default("sent"),
    /** Set when another organisation already followed the same numéro unique at creation: shown to the MEL only. */
    followedElsewhere: boolean("followed_elsewhere").notNull().default(false),
    /** The commune's member who handles it (its mails go to them; to the commune's admins when null). */
    handlerUserId: uuid("handler_user_id").references(() => users.id),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** First acknowledgement by an addressed bailleur (for delays). */
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    /** When it reached a terminal status (lease signed, not retained, closed): the retention period starts. */
    closedAt: timestamp("closed_at", { withTimezone: true }),
    anonymisedAt: timestamp("anonymised_at", { withTimezone: true }),
  },
  (t) => [
    // One open signalement per numéro unique per commune.
    uniqueIndex("signalements_open_numero_per_commune")
      .on(t.communeId, t.numeroUnique)
      .where(sql`${t.closedAt} is null`),
    // Lists walk these backwards (newest first, id to break ties: ORDER BY … DESC, whose NULLS FIRST an ascending
    // index matches read backwards) and page with a keyset cursor.
    index("signalements_commune_created").on(t.communeId, t.createdAt, t.id),
    index("signalements_commune_status_created").on(t.communeId, t.status, t.createdAt, t.id),
    index("signalements_status_created").on(t.status, t.createdAt, t.id),
    index("signalements_created").on(t.createdAt, t.id),
    index("signalements_numero").on(t.numeroUnique),
    index("signalements_closed_to_anonymise").on(t.closedAt).where(sql`${t.anonymisedAt} is null`),
  ],
);

/**
 * The bailleurs a signalement is addressed to. `createdAt` and `status` are the signalement's, copied (and kept in
 * step by the model) so that a bailleur's list, filters and counts walk its own rows only.
 */
export const signalementBailleurs = pgTable(
  "signalement_bailleurs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    signalementId: uuid("signalement_id")
      .notNull()
      .references(() => signalements.id),
    bailleurId: organisationRef("bailleur_id"),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    status: text("status").$type<SignalementStatusValue>().notNull().default("sent"),
    /** The bailleur's member who handles it (its mails go to them; to the bailleur's admins when null). */
    handlerUserId: uuid("handler_user_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("signalement_bailleurs_pair").on(t.signalementId, t.bailleurId),
    index("signalement_bailleurs_bailleur_created").on(t.bailleurId, t.createdAt, t.signalementId),
    index("signalement_bailleurs_bailleur_status_created").on(
      t.bailleurId,
      t.status,
      t.createdAt,
      t.signalementId,
    ),
  ],
);

export const signalementEvents = pgTable(
  "signalement_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    signalementId: uuid("signalement_id")
      .notNull()
      .references(() => signalements.id),
    type: text("type").$type<SignalementStatusValue>().notNull(),
    details: jsonb("details").notNull().default({}),
    byUserId: uuid("by_user_id").references(() => users.id),
    byOrganisationId: uuid("by_organisation_id").references(() => organisations.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("signalement_events_signalement_at").on(t.signalementId, t.at)],
);

export const signalementComments = pgTable(
  "signalement_comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    signalementId: uuid("signalement_id")
      .notNull()
      .references(() => signalements.id),
    /** Null once anonymised. */
    text: text("text"),
    byUserId: uuid("by_user_id").references(() => users.id),
    byOrganisationId: uuid("by_organisation_id").references(() => organisations.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("signalement_comments_signalement_at").on(t.signalementId, t.at)],
);

/** Who read which household's detail, when (personal data: every read is logged). Append-only (migration 0024). */
export const signalementReads = pgTable(
  "signalement_reads",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    signalementId: uuid("signalement_id")
      .notNull()
      .references(() => signalements.id),
    userId: uuid("user_id").references(() => users.id),
    organisationId: uuid("organisation_id").references(() => organisations.id),
    via: text("via").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("signalement_reads_signalement_at").on(t.signalementId, t.at),
    index("signalement_reads_user_at").on(t.userId, t.at),
  ],
);

// ── CRIB list (issue 4): labelled blocked/complex transfers (MBC) the CRIB sent to inter-bailleur, per session ──
// (000 art. 8.2; DESIGN §4 "MBC inter-bailleur list"). Seen by the MEL, and once published by the URH and bailleurs.

export const cribSessions = pgTable("crib_sessions", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** Day of the CRIB meeting (read and written as yyyy-MM-dd). */
  heldOn: date("held_on", { mode: "string" }).notNull().unique(),
  publishedAt: timestamp("published_at", { withTimezone: true }),
  createdBy: uuid("created_by").references(() => users.id),
  createdAt: createdAt(),
});

export const cribCases = pgTable(
  "crib_cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => cribSessions.id),
    /** Null once anonymised. */
    numeroUnique: text("numero_unique"),
    /** The bailleur the household rents from today (the transfer is blocked there). */
    originBailleurId: organisationRef("origin_bailleur_id"),
    typology: text("typology").$type<HousingDomain["TYPOLOGIES"][number]>().notNull(),
    communesWanted: text("communes_wanted").array().notNull(),
    /** Designated by the URH. */
    pilotBailleurId: uuid("pilot_bailleur_id").references(() => organisations.id),
    status: text("status").$type<"open" | "rehoused" | "closed">().notNull().default("open"),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    anonymisedAt: timestamp("anonymised_at", { withTimezone: true }),
    /** The MEL's and the URH's follow-up notes on the case (no household detail beyond the numéro unique). */
    notes: text("notes").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("crib_cases_session_numero").on(t.sessionId, t.numeroUnique),
    index("crib_cases_closed_to_anonymise").on(t.closedAt).where(sql`${t.anonymisedAt} is null`),
  ],
);

/** Who read which CRIB session's list (household numbers: every read is logged). Append-only (migration 0024). */
export const cribReads = pgTable(
  "crib_reads",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => cribSessions.id),
    userId: uuid("user_id").references(() => users.id),
    organisationId: uuid("organisation_id").references(() => organisations.id),
    via: text("via").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("crib_reads_session_at").on(t.sessionId, t.at)],
);

export const cribAnswers = pgTable(
  "crib_answers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cribCases.id),
    bailleurId: organisationRef("bailleur_id"),
    hasSolution: boolean("has_solution").notNull(),
    /** INSEE code and typology of the flat proposed, when there is a solution. */
    flatCommune: text("flat_commune"),
    flatTypology: text("flat_typology"),
    /** The bailleur's note with its answer (why no solution, conditions of the one proposed). */
    note: text("note").notNull().default(""),
    byUserId: uuid("by_user_id").references(() => users.id),
    answeredAt: timestamp("answered_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("crib_answers_case_bailleur").on(t.caseId, t.bailleurId)],
);

/** Reminders sent to a bailleur that has not answered every open case of a session: at most one per day. */
export const cribReminders = pgTable(
  "crib_reminders",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => cribSessions.id),
    bailleurId: organisationRef("bailleur_id"),
    /** Paris day of the reminder, yyyy-MM-dd. */
    sentOn: text("sent_on").notNull(),
    byUserId: uuid("by_user_id").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("crib_reminders_daily").on(t.sessionId, t.bailleurId, t.sentOn)],
);

// ── Quartiers prioritaires (issue 15, decision 0025): the MEL's referential, loaded from the official list ──────────
export const qpvs = pgTable(
  "qpv",
  {
    /** The official code (« QN05901M »-like), upper-case. */
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    /** The commune the quartier lies in (INSEE code of one of the MEL's communes). */
    communeInsee: text("commune_insee").notNull(),
    /** A quartier no longer in the list is deactivated, not deleted: recorded attributions still name it. */
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("qpv_commune").on(t.communeInsee, t.name)],
);

// ── Attributions (issue 5): each lease signed, and the one contingent it counts on ───────────────────────────────
type AttributionDomain = typeof import("../app/domain/attribution");
type PublicsDomain = typeof import("../app/domain/publics");

export const attributions = pgTable(
  "attributions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bailleurId: organisationRef("bailleur_id"),
    /** SNE numéro unique of the demand, normalised (`normaliseNumeroUnique`). */
    numeroUnique: text("numero_unique").notNull(),
    leaseDate: date("lease_date", { mode: "string" }).notNull(),
    /** The flat. */
    communeInsee: text("commune_insee").notNull(),
    qpv: boolean("qpv").notNull(),
    /** The quartier of a flat en QPV, when known (null: outside QPV, or « quartier non renseigné »). */
    qpvCode: text("qpv_code").references(() => qpvs.code),
    typology: text("typology").$type<HousingDomain["TYPOLOGIES"][number]>().notNull(),
    financing: text("financing").$type<HousingDomain["FINANCINGS"][number]>().notNull(),
    pmr: boolean("pmr").notNull(),
    firstLetting: boolean("first_letting").notNull(),
    constructionPeriod: text("construction_period")
      .$type<HousingDomain["CONSTRUCTION_PERIODS"][number]>()
      .notNull(),
    /** The household. */
    publicCategory: text("public_category").$type<SignalementDomain["PUBLIC_CATEGORIES"][number]>().notNull(),
    transfer: text("transfer").$type<AttributionDomain["TRANSFERS"][number]>().notNull(),
    incomeQuartile: integer("income_quartile"),
    refusalsAfterCaleol: integer("refusals_after_caleol").notNull().default(0),
    contingent: text("contingent").$type<AttributionDomain["ATTRIBUTION_CONTINGENTS"][number]>().notNull(),
    /** The organisation holding that contingent (the commune for `commune`); null for `none`. */
    reservataireId: uuid("reservataire_id").references(() => organisations.id),
    /** False for NPRU rehousing and internal transfers, which never consume rights. */
    countsOnRights: boolean("counts_on_rights").notNull(),
    /** Rehousing outside the flux (Annex 1 columns D–G): `none` | `npru` | `orcod` | `lhi` | `sale`. */
    rehousing: text("rehousing").$type<PublicsDomain["REHOUSINGS"][number]>().notNull().default("none"),
    /** ALS / SICF eligibility of the household (PEEC employee, SNCF agent), on their contingents. */
    eligibility: text("eligibility").$type<AttributionDomain["ELIGIBILITIES"][number]>(),
    /**
     * The same numéro unique with the same lease date is recorded at another bailleur: to resolve (issue 15). Only
     * the first recorded counts on rights meanwhile.
     */
    duplicate: boolean("duplicate").notNull().default(false),
    /**
     * The later record of such a duplicate: out of every count (rights, indicators, the CIL bilan) until resolved, so
     * that the household counts once.
     */
    countedElsewhere: boolean("counted_elsewhere").notNull().default(false),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    // The natural key: the database refuses an attribution counted twice (and a re-import changes nothing).
    uniqueIndex("attributions_natural_key").on(t.bailleurId, t.numeroUnique, t.leaseDate),
    index("attributions_reservataire_bailleur_date").on(t.reservataireId, t.bailleurId, t.leaseDate),
    // A réservataire's list, newest lease first (listAttributions): read along the index, not sorted.
    index("attributions_reservataire_date").on(t.reservataireId, t.leaseDate, t.id),
    // A named quartier prioritaire is en QPV (decision 0025); its commune is checked by the model.
    check("attributions_qpv_code_in_qpv", sql`${t.qpvCode} is null or ${t.qpv}`),
    index("attributions_bailleur_date").on(t.bailleurId, t.leaseDate),
    index("attributions_commune_date").on(t.communeInsee, t.leaseDate),
    index("attributions_date").on(t.leaseDate),
    // The duplicate check across bailleurs (same household, same lease date).
    index("attributions_numero_lease").on(t.numeroUnique, t.leaseDate),
  ],
);

/**
 * Who read which attribution, for which organisation, when and how (privacy: an attribution describes a household).
 * Append-only (migration 0024); one row per attribution shown in a list page or an API page.
 */
export const attributionReads = pgTable(
  "attribution_reads",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    attributionId: uuid("attribution_id")
      .notNull()
      .references(() => attributions.id),
    userId: uuid("user_id").references(() => users.id),
    organisationId: uuid("organisation_id").references(() => organisations.id),
    via: text("via").$type<"page" | "api">().notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("attribution_reads_attribution_at").on(t.attributionId, t.at),
    index("attribution_reads_user_at").on(t.userId, t.at),
  ],
);

// ── New programmes, comité de suivi, calendar of obligations (issue 6) ───────────────────────────────────────────
// 004 art. 8 (lines 292–298) and model art. 4.2 (lines 649–655): programmes and their split between réservataires;
// art. 10 (lines 384–398) and model art. 5.1 (lines 659–663): the comité de suivi; Titre 1 and Titre 5: the dates.
type ProgrammeDomain = typeof import("../app/domain/programme");
/** Binary content (PostgreSQL bytea); postgres.js and PGlite both read it back as bytes. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

export const PROGRAMME_STATUSES = ["announced", "declared", "split_recorded"] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

export const programmes = pgTable(
  "programmes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bailleurId: organisationRef("bailleur_id"),
    communeInsee: text("commune_insee").notNull(),
    name: text("name").notNull(),
    address: text("address").notNull(),
    firstLettingDate: date("first_letting_date", { mode: "string" }).notNull(),
    /** announced: a coming delivery; declared: sent to the réservataires with a proposed split; then split recorded. */
    status: text("status").$type<ProgrammeStatus>().notNull().default("declared"),
    declaredAt: timestamp("declared_at", { withTimezone: true }),
    /** Declared less than three months before first letting (004 l. 296). */
    lateDeclaration: boolean("late_declaration").notNull().default(false),
    /** The proposed split, computed at declaration: `Allocation[]` (reservataireId null = the bailleur's part). */
    proposedSplit: jsonb("proposed_split").$type<import("../app/domain/programme").Allocation[]>(),
    splitRecordedAt: timestamp("split_recorded_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("programmes_bailleur_date").on(t.bailleurId, t.firstLettingDate),
    index("programmes_commune_date").on(t.communeInsee, t.firstLettingDate),
    index("programmes_date").on(t.firstLettingDate),
  ],
);

export const programmeFlats = pgTable(
  "programme_flats",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => programmes.id),
    typology: text("typology").$type<HousingDomain["TYPOLOGIES"][number]>().notNull(),
    financing: text("financing").$type<ProgrammeDomain["PROGRAMME_FINANCINGS"][number]>().notNull(),
    pmr: boolean("pmr").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [uniqueIndex("programme_flats_kind").on(t.programmeId, t.typology, t.financing, t.pmr)],
);

/** The final split the bailleur records; `reservataireId` null is the bailleur's own part. */
export const programmeAllocations = pgTable(
  "programme_allocations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => programmes.id),
    reservataireId: uuid("reservataire_id").references(() => organisations.id),
    typology: text("typology").$type<HousingDomain["TYPOLOGIES"][number]>().notNull(),
    financing: text("financing").$type<ProgrammeDomain["PROGRAMME_FINANCINGS"][number]>().notNull(),
    pmr: boolean("pmr").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [index("programme_allocations_programme").on(t.programmeId)],
);

/** A réservataire's recommendations on a programme's split (the latest answer replaces the previous one). */
export const programmeRecommendations = pgTable(
  "programme_recommendations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    programmeId: uuid("programme_id")
      .notNull()
      .references(() => programmes.id),
    reservataireId: organisationRef("reservataire_id"),
    text: text("text").notNull(),
    byUserId: uuid("by_user_id").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("programme_recommendations_pair").on(t.programmeId, t.reservataireId)],
);

/** The MEL's May / November request to each bailleur to update its coming deliveries (004 l. 298): one per campaign. */
export const deliveryUpdateRequests = pgTable(
  "delivery_update_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** e.g. "2026-may" (deliveryCampaignKey). */
    campaign: text("campaign").notNull(),
    bailleurId: organisationRef("bailleur_id"),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    requestedBy: uuid("requested_by").references(() => users.id),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    answeredBy: uuid("answered_by").references(() => users.id),
  },
  (t) => [uniqueIndex("delivery_update_requests_campaign_bailleur").on(t.campaign, t.bailleurId)],
);

export const comites = pgTable(
  "comites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Meeting day, yyyy-MM-dd (Paris). */
    heldOn: date("held_on", { mode: "string" }).notNull(),
    /** The meeting's start (date and time, UTC); null for meetings scheduled before times were asked. */
    heldAt: timestamp("held_at", { withTimezone: true }),
    place: text("place").notNull(),
    agenda: text("agenda").notNull(),
    convenedAt: timestamp("convened_at", { withTimezone: true }),
    minutes: text("minutes"),
    decisions: text("decisions"),
    minutesRecordedAt: timestamp("minutes_recorded_at", { withTimezone: true }),
    /** Reporting published to the communes (004 l. 396: "reporting aux communes ... ICI"). */
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("comites_held_on").on(t.heldOn)],
);

/** Who is invited: the members (réservataires, URH) at scheduling, bailleurs per agenda (004 l. 392–394). */
export const comiteInvitations = pgTable(
  "comite_invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    comiteId: uuid("comite_id")
      .notNull()
      .references(() => comites.id),
    organisationId: organisationRef("organisation_id"),
  },
  (t) => [
    uniqueIndex("comite_invitations_pair").on(t.comiteId, t.organisationId),
    index("comite_invitations_organisation").on(t.organisationId),
  ],
);

/**
 * Documents attached to a meeting, stored in the database (bytea): they are written in the same transaction as the
 * audit row, follow the database's backups and access rules, and need no shared disk between servers; 20 MB at most.
 */
export const comiteDocuments = pgTable(
  "comite_documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    comiteId: uuid("comite_id")
      .notNull()
      .references(() => comites.id),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    content: bytea("content").notNull(),
    /**
     * Who may download it: `members` (the invited organisations and the MEL) or `communes` too, once the reporting is
     * published. Only files whose counts under 5 are masked go to communes (DESIGN §3: in files attached to a comité
     * too).
     */
    audience: text("audience").$type<"members" | "communes">().notNull().default("members"),
    uploadedBy: uuid("uploaded_by").references(() => users.id),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("comite_documents_comite").on(t.comiteId)],
);

/** A user's secret iCalendar feed URL: only the SHA-256 of its token is stored (like API tokens). */
export const calendarFeeds = pgTable("calendar_feeds", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: userRef("user_id").unique(),
  organisationId: organisationRef("organisation_id"),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: createdAt(),
});

/** Each late obligation is reminded once per user (the unique key makes the job idempotent). */
export const obligationReminders = pgTable(
  "obligation_reminders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    obligationKey: text("obligation_key").notNull(),
    userId: userRef("user_id"),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("obligation_reminders_key_user").on(t.obligationKey, t.userId)],
);

// ── Conventions (issue 3): the convention cadre 2024-2026 (004 lines 60–470) and the conventions bilatérales drawn
// from its model (Annex 2, 004 lines 560–806). Rules in app/domain/convention.ts. Signed = frozen (changes by avenant).
type ConventionDomain = typeof import("../app/domain/convention");
type ConventionTypes = import("../app/domain/convention").ConventionTypes;

export const conventions = pgTable(
  "conventions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").$type<ConventionDomain["CONVENTION_KINDS"][number]>().notNull(),
    /** The organisation that drafts it: the MEL for the cadre, the réservataire for a bilatérale. */
    drafterId: organisationRef("drafter_id"),
    /** The bailleur of a bilatérale; null for the cadre. */
    bailleurId: uuid("bailleur_id").references(() => organisations.id),
    title: text("title").notNull(),
    startYear: integer("start_year").notNull(),
    endYear: integer("end_year").notNull(),
    /** Bilatérale only: the reservation rate (basis points), management mode, publics split, MEL financial annex. */
    rateBp: integer("rate_bp"),
    management: text("management").$type<ConventionDomain["MANAGEMENT_MODES"][number]>(),
    publics: jsonb("publics").$type<ConventionTypes["publics"]>(),
    financialAnnex: jsonb("financial_annex").$type<ConventionTypes["financialAnnex"]>(),
    /**
     * Bilatérale art. 2 (004 l. 585–587): the bailleur's flux of attributions for the first year, and the réservataire's
     * rights on it at 1 January of that year, as written in the signed text. Null when not given.
     */
    fluxVolume: integer("flux_volume"),
    initialRights: integer("initial_rights"),
    status: text("status")
      .$type<ConventionDomain["CONVENTION_STATUSES"][number]>()
      .notNull()
      .default("draft"),
    /** When the last party signed: from then on the convention is frozen. */
    signedAt: timestamp("signed_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("conventions_drafter").on(t.drafterId),
    index("conventions_bailleur").on(t.bailleurId),
    // One bilatérale per réservataire × bailleur × start year; one cadre per start year.
    uniqueIndex("conventions_pair_period")
      .on(t.drafterId, t.bailleurId, t.startYear)
      .where(sql`${t.kind} = 'bilaterale'`),
    uniqueIndex("conventions_cadre_period").on(t.startYear).where(sql`${t.kind} = 'cadre'`),
  ],
);

/** Each party of a convention and its signature (who, when); one row per party. */
export const conventionSignatures = pgTable(
  "convention_signatures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conventionId: uuid("convention_id")
      .notNull()
      .references(() => conventions.id),
    organisationId: organisationRef("organisation_id"),
    signedAt: timestamp("signed_at", { withTimezone: true }),
    signedBy: uuid("signed_by").references(() => users.id),
    /** The signataire's name as it was when signing (shown on the PDF). */
    signerName: text("signer_name"),
  },
  (t) => [
    uniqueIndex("convention_signatures_party").on(t.conventionId, t.organisationId),
    index("convention_signatures_organisation").on(t.organisationId),
  ],
);

// ═════════════════════════════════════════════════════════════════════════════════════════════════════════════════
// Bilans annuels (issue 5; decree 2020-145, 004 Titre 5 l. 444–459): before 28 February each bailleur sends each
// réservataire the bilan of the previous year; the réservataire acknowledges it. Figures are frozen when sent.
// ═════════════════════════════════════════════════════════════════════════════════════════════════════════════════

export const bilans = pgTable(
  "bilans",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bailleurId: organisationRef("bailleur_id"),
    reservataireId: organisationRef("reservataire_id"),
    /** The year the bilan covers (sent in January–February of the next one). */
    year: integer("year").notNull(),
    /** The figures as sent (app/domain/bilan.ts BilanFigures). */
    figures: jsonb("figures").notNull(),
    /** « Logements proposés » to the réservataire that year (decree 2020-145), declared by the bailleur when sending. */
    proposed: integer("proposed"),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
    sentBy: uuid("sent_by").references(() => users.id),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgedBy: uuid("acknowledged_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("bilans_pair_year").on(t.bailleurId, t.reservataireId, t.year),
    index("bilans_reservataire_year").on(t.reservataireId, t.year),
  ],
);

/** One row per bailleur × year × reminder: each February reminder is queued once, whatever the job passes. */
export const bilanReminders = pgTable(
  "bilan_reminders",
  {
    bailleurId: organisationRef("bailleur_id"),
    year: integer("year").notNull(),
    kind: text("kind").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("bilan_reminders_once").on(t.bailleurId, t.year, t.kind)],
);

// ═════════════════════════════════════════════════════════════════════════════════════════════════════════════════
// Report rollups (issue 5): attributions pre-aggregated by statement-level triggers (migration
// attribution_rollups), so that the reports read a few thousand rows a year instead of hundreds of thousands.
// Written by the database only; app/models/reports.server.ts reads them.
// ═════════════════════════════════════════════════════════════════════════════════════════════════════════════════

/** Attributions counted on rights (COUNTING_RULE, applied in the trigger) per year × réservataire × bailleur. */
export const consumptionRollups = pgTable(
  "consumption_rollups",
  {
    year: integer("year").notNull(),
    reservataireId: uuid("reservataire_id").notNull(),
    bailleurId: uuid("bailleur_id").notNull(),
    counted: integer("counted").notNull(),
    priority: integer("priority").notNull(),
    ciaTargets: integer("cia_targets").notNull(),
    mbc: integer("mbc").notNull(),
    stateAgents: integer("state_agents").notNull(),
  },
  (t) => [
    unique("consumption_rollups_key").on(t.year, t.reservataireId, t.bailleurId),
    index("consumption_rollups_bailleur").on(t.year, t.bailleurId),
  ],
);

/** Every attribution per year × bailleur × contingent × commune × QPV × (CIA target | other): the art. 11 figures. */
export const indicatorRollups = pgTable(
  "indicator_rollups",
  {
    year: integer("year").notNull(),
    bailleurId: uuid("bailleur_id").notNull(),
    reservataireId: uuid("reservataire_id"),
    contingent: text("contingent").$type<AttributionDomain["ATTRIBUTION_CONTINGENTS"][number]>().notNull(),
    communeInsee: text("commune_insee").notNull(),
    qpv: boolean("qpv").notNull(),
    ciaTarget: boolean("cia_target").notNull(),
    total: integer("total").notNull(),
    t4plus: integer("t4plus").notNull(),
    plai: integer("plai").notNull(),
    pmr: integer("pmr").notNull(),
    firstLetting: integer("first_letting").notNull(),
    refusals: integer("refusals").notNull(),
  },
  (t) => [
    unique("indicator_rollups_key")
      .on(t.year, t.bailleurId, t.reservataireId, t.contingent, t.communeInsee, t.qpv, t.ciaTarget)
      .nullsNotDistinct(),
    index("indicator_rollups_reservataire").on(t.year, t.reservataireId),
    index("indicator_rollups_commune").on(t.year, t.communeInsee),
  ],
);

/**
 * One row per statement and year it changed in what the reports read (attributions' rollups, avenants, forecasts, the
 * assiette's publication, negotiated rates; organisations, whose names every year shows, with no year), written by
 * triggers (migrations report_changes, report_changes_year). The sum of `weight` of a year's rows and of the rows
 * without a year that a transaction sees tells which changes to that year's reports its snapshot holds: the reports'
 * cache key (app/models/report-cache.server.ts). Inserts only, so writers never wait on one another; a job folds the
 * rows into one per year, keeping the sums.
 */
export const reportChanges = pgTable("report_changes", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  weight: integer("weight").notNull().default(1),
  /** The year whose reports changed; null: every year's. */
  year: integer("year"),
});
