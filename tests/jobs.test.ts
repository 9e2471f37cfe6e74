import postgres from "postgres";
import { afterEach, describe, expect, it, vi } from "vitest";
import { databaseDriver, db } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import { enqueueMail } from "#emails/outbox.server";
import { withJobLock } from "~/jobs/lock.server";
import { JOB_KINDS, nextRunAt, runJob } from "~/jobs/run.server";
import { startSmtpServer } from "./helpers/smtp";

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.SMTP_URL;
});

describe("job passes never overlap", () => {
  it("a second pass of the same kind started while the first runs is skipped; other kinds run", async () => {
    const [first, second, other] = await Promise.all([
      runJob("anonymisation"),
      runJob("anonymisation"),
      runJob("reports"),
    ]);
    expect(first).toEqual({ signalements: { anonymised: 0 }, cribCases: { anonymised: 0 } });
    expect(second).toBe("skipped");
    expect(other).toEqual({});
    // Once the first has ended, the next pass runs.
    expect(await runJob("anonymisation")).not.toBe("skipped");
  });

  it.skipIf(databaseDriver() === "pglite")(
    "on PostgreSQL, a pass running in another process (holding the kind's advisory lock) makes this one skip",
    async () => {
      const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        await other`select pg_advisory_lock(7345002, hashtext('outbox'))`;
        expect(await runJob("outbox")).toBe("skipped");
        expect(await runJob("reports")).toEqual({});
        await other`select pg_advisory_unlock(7345002, hashtext('outbox'))`;
        expect(await runJob("outbox")).not.toBe("skipped");
      } finally {
        await other.end({ timeout: 5 });
      }
    },
  );

  it.skipIf(databaseDriver() === "pglite")(
    "on PostgreSQL, the lock holds no transaction open during the pass (it would keep every dead row from cleanup)",
    async () => {
      const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        const seen = await withJobLock("essai", async () => {
          const [held] = await other`select pg_try_advisory_lock(7345002, hashtext('essai')) as locked`;
          const [open] = await other`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and state like 'idle in transaction%'`;
          return { lockedElsewhere: !held!.locked, openTransactions: open!.n };
        });
        expect(seen).toEqual({ lockedElsewhere: true, openTransactions: 0 });
        // Released after the pass.
        const [after] = await other`select pg_try_advisory_lock(7345002, hashtext('essai')) as locked`;
        expect(after!.locked).toBe(true);
      } finally {
        await other.end({ timeout: 5 });
      }
    },
  );
});

describe("job schedules", () => {
  it("the outbox every 5 seconds, the letters, reminders and indicators every minute, after the previous pass", () => {
    const end = new Date("2026-03-02T10:00:00Z");
    expect(nextRunAt(JOB_KINDS.outbox.schedule, end)).toEqual(new Date("2026-03-02T10:00:05Z"));
    for (const name of ["avenants", "reminders", "reports"] as const)
      expect(nextRunAt(JOB_KINDS[name].schedule, end)).toEqual(new Date("2026-03-02T10:01:00Z"));
  });

  it("the anonymisation each night at 3:00 in Paris, daylight saving time included", () => {
    const { schedule } = JOB_KINDS.anonymisation;
    // 02:59 in Paris (winter, UTC+1): the same night.
    expect(nextRunAt(schedule, new Date("2026-01-10T01:59:00Z"))).toEqual(new Date("2026-01-10T02:00:00Z"));
    // Just after 3:00: the next night.
    expect(nextRunAt(schedule, new Date("2026-01-10T02:00:00Z"))).toEqual(new Date("2026-01-11T02:00:00Z"));
    // The night clocks go forward (29 March 2026): 3:00 is 01:00 UTC.
    expect(nextRunAt(schedule, new Date("2026-03-28T12:00:00Z"))).toEqual(new Date("2026-03-29T01:00:00Z"));
  });
});

describe("job logs", () => {
  it("the outbox pass sends through SMTP_URL and logs one line with its counts; an idle pass logs nothing", async () => {
    await db.delete(emailOutbox);
    const server = await startSmtpServer();
    process.env.SMTP_URL = server.url;
    try {
      for (const to of ["a@exemple.fr", "b@exemple.fr"])
        await enqueueMail(db, { to, subject: "Essai", text: "…" });
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      expect(await runJob("outbox")).toEqual({ outbox: { sent: 2, retried: 0, givenUp: 0 } });
      expect(server.received.map((m) => m.to).sort()).toEqual(["a@exemple.fr", "b@exemple.fr"]);
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0]![0]).toMatch(/^Tâche « courriels » : outbox\.sent=2 \(\d+ ms\)$/);
      await runJob("outbox");
      expect(log).toHaveBeenCalledTimes(1);
    } finally {
      await server.close();
    }
  });
});
