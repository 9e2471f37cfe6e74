import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditLog, loginAttempts } from "#db/schema";
import {
  hashPassword,
  LoginError,
  logIn,
  passwordMatches,
  THROTTLE_PER_ACCOUNT_AND_ADDRESS,
  THROTTLE_PER_ADDRESS,
  verifyPassword,
} from "~/lib/auth.server";
import { createUser, TEST_PASSWORD } from "../helpers/fixtures";

/** The outcome of a login: the session's user, or the refusal's status. */
const outcome = (input: Parameters<typeof logIn>[0]) =>
  logIn(input).then(
    (session) => ({ ok: true as const, userId: session.userId }),
    (error: unknown) => {
      if (error instanceof LoginError) return { ok: false as const, status: error.status };
      throw error;
    },
  );

/** Password checks made: each is one reserved attempt row, for this account from this address. */
async function checks(email: string, ip: string) {
  return (
    await db
      .select()
      .from(loginAttempts)
      .where(and(eq(loginAttempts.email, email), eq(loginAttempts.ip, ip)))
  ).length;
}

const statuses = (results: Array<{ ok: boolean; status?: number }>) =>
  results.reduce<Record<string, number>>((count, r) => {
    const key = r.ok ? "ok" : String(r.status);
    count[key] = (count[key] ?? 0) + 1;
    return count;
  }, {});

describe("login throttle", () => {
  it("checks exactly 5 passwords out of 100 parallel wrong logins for one account from one address", async () => {
    const user = await createUser("vilogia", ["lecteur"]);
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        outcome({ email: user.email, password: "mauvais", ip: "198.51.100.1" }),
      ),
    );
    expect(statuses(results)).toEqual({ 401: THROTTLE_PER_ACCOUNT_AND_ADDRESS, 429: 95 });
    expect(await checks(user.email, "198.51.100.1")).toBe(5);
  });

  it("refuses the right password hidden among 20 parallel attempts after 5 failures, and lets it in from another address", async () => {
    const user = await createUser("vilogia", ["lecteur"]);
    for (let i = 0; i < 5; i++)
      expect(await outcome({ email: user.email, password: "mauvais", ip: "198.51.100.2" })).toEqual({
        ok: false,
        status: 401,
      });
    const attempts = Array.from({ length: 20 }, (_, i) => (i === 13 ? TEST_PASSWORD : `essai-${i}`));
    const results = await Promise.all(
      attempts.map((password) => outcome({ email: user.email, password, ip: "198.51.100.2" })),
    );
    expect(statuses(results)).toEqual({ 429: 20 });
    expect(await checks(user.email, "198.51.100.2")).toBe(5);

    // The attacker's address cannot lock the owner out.
    expect(await outcome({ email: user.email, password: TEST_PASSWORD, ip: "192.0.2.77" })).toEqual({
      ok: true,
      userId: user.id,
    });
  });

  it("caps one address across accounts (50 checks per 15 minutes), even in parallel, and leaves other addresses alone", async () => {
    const victims = await Promise.all(Array.from({ length: 60 }, () => createUser("clesence", ["lecteur"])));
    const results = await Promise.all(
      victims.map((victim) => outcome({ email: victim.email, password: "mauvais", ip: "203.0.113.50" })),
    );
    expect(statuses(results)).toEqual({ 401: THROTTLE_PER_ADDRESS, 429: 10 });

    const owner = victims[0]!;
    expect(await outcome({ email: owner.email, password: TEST_PASSWORD, ip: "203.0.113.50" })).toEqual({
      ok: false,
      status: 429,
    });
    expect(await outcome({ email: owner.email, password: TEST_PASSWORD, ip: "203.0.113.51" })).toEqual({
      ok: true,
      userId: owner.id,
    });
  });

  it("opens again once the oldest counted failure is 15 minutes old, and says when", async () => {
    const user = await createUser("clesence", ["lecteur"]);
    const t0 = new Date("2026-03-10T09:00:00Z"); // 10:00 in Paris
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    for (let i = 0; i < 5; i++)
      await outcome({ email: user.email, password: "mauvais", ip: "198.51.100.3", now: at(i) });
    const blocked = await logIn({
      email: user.email,
      password: TEST_PASSWORD,
      ip: "198.51.100.3",
      now: at(5),
    })
      .then(() => null)
      .catch((error: LoginError) => error.message);
    expect(blocked).toBe("Trop de tentatives de connexion. Réessayez après 10:15 (heure de Paris).");
    expect(
      await outcome({ email: user.email, password: TEST_PASSWORD, ip: "198.51.100.3", now: at(15.1) }),
    ).toEqual({ ok: true, userId: user.id });
  });

  it("checks a hash of the same cost for an unknown account as for a wrong password, and never lets it in", async () => {
    // No timing here (it would measure the machine): the same work is shown by the hash each case verifies.
    const checked: string[] = [];
    const spy = async (hash: string, password: string) => {
      checked.push(hash);
      return verifyPassword(hash, password);
    };
    const real = await hashPassword(TEST_PASSWORD);
    expect(await passwordMatches(real, "mauvais", spy)).toBe(false);
    expect(await passwordMatches(undefined, TEST_PASSWORD, spy)).toBe(false);
    expect(await passwordMatches(null, "mauvais", spy)).toBe(false);
    expect(checked).toHaveLength(3);
    const parameters = (hash: string) => hash.split("$").slice(1, 4).join("$");
    expect(parameters(checked[1]!)).toBe(parameters(real));
    expect(parameters(checked[1]!)).toMatch(/^argon2id\$v=19\$m=19456,t=2,p=1$/);
    expect(checked[1]).not.toBe(real);
  });

  it("records logins and failed logins in the audit log", async () => {
    const user = await createUser("vilogia", ["gestionnaire"]);
    await outcome({ email: user.email, password: "mauvais", ip: "198.51.100.9" });
    await outcome({ email: user.email, password: TEST_PASSWORD, ip: "198.51.100.9" });
    const rows = await db
      .select({ action: auditLog.action, after: auditLog.after, organisationId: auditLog.organisationId })
      .from(auditLog)
      .where(eq(auditLog.subjectId, user.id))
      .orderBy(auditLog.id);
    expect(rows).toEqual([
      {
        action: "session.login_failed",
        organisationId: null,
        after: { email: user.email, ip: "198.51.100.9", reason: "E-mail ou mot de passe incorrect." },
      },
      {
        action: "session.login",
        organisationId: user.organisationId,
        after: { email: user.email, ip: "198.51.100.9" },
      },
    ]);
  });
});
