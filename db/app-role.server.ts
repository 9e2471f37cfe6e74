import { getTableName } from "drizzle-orm";
import type postgresTypes from "postgres";
import { attributionReads, auditLog, cribReads, signalementReads } from "./schema";

/**
 * On PostgreSQL the server connects as a role that neither owns the tables nor is a superuser (`DATABASE_URL`); the
 * migrations run as the owner (`DATABASE_OWNER_URL`), who then grants the server's role what it needs (decision 0014).
 */

/** The role `.ci/run`, the tests and the benchmark give the server; a deployment names its own. */
export const APP_ROLE = "flux_app";

/** Who read or changed what: the server's role may add and read rows, never change or remove one. */
const APPEND_ONLY_TABLES = [auditLog, signalementReads, cribReads, attributionReads].map(getTableName);

/**
 * Grants `role` reads and writes on every table of the schema, but only INSERT and SELECT on the append-only ones.
 * Run by the owner after each migration, in one transaction: revoked first, so the result does not depend on what
 * an earlier version granted, and tables a later migration adds are covered.
 */
export async function grantAppRole(owner: postgresTypes.Sql, role: string): Promise<void> {
  await owner.begin(async (tx) => {
    const grantee = tx(role);
    await tx`revoke all on all tables in schema public from ${grantee}`;
    await tx`revoke all on all sequences in schema public from ${grantee}`;
    await tx`grant usage on schema public to ${grantee}`;
    await tx`grant select, insert, update, delete on all tables in schema public to ${grantee}`;
    await tx`grant usage, select on all sequences in schema public to ${grantee}`;
    await tx`revoke update, delete on ${tx(APPEND_ONLY_TABLES)} from ${grantee}`;
  });
}

/**
 * Creates the server's role on the cluster unless it exists (test files and CI runs share it, two of them may create
 * it at once). Needs a role allowed to create roles; `.ci/run` does the same in SQL.
 */
export async function ensureAppRole(admin: postgresTypes.Sql): Promise<void> {
  await admin.unsafe(
    `do $$ begin create role ${APP_ROLE} login; exception when duplicate_object then null; end $$`,
  );
}

/** `url` with the server's role as its user (same server and database). */
export function asAppRole(url: string): string {
  return Object.assign(new URL(url), { username: APP_ROLE, password: "" }).toString();
}
