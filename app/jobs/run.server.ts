import { TZDate } from "@date-fns/tz";
import { db } from "#db/client.server";
import { deliverOutbox, smtpTransport } from "#emails/outbox.server";
import { purgeOldLoginAttempts } from "~/lib/auth.server";
import { PARIS } from "~/lib/dates";
import { remindBilans } from "~/models/bilans.server";
import { remindLateObligations } from "~/models/calendar.server";
import { anonymiseClosedCribCases } from "~/models/crib.server";
import { foldReportChanges } from "~/models/report-cache.server";
import { anonymiseClosedSignalements } from "~/models/signalements.server";
import { runAvenantJobs } from "./avenants.server";
import { withJobLock } from "./lock.server";
import { signalementDigestJob } from "./signalement-digest.server";

/** When a job kind runs: every so many milliseconds after its previous pass ended, or each night at an hour in Paris. */
export type Schedule = { everyMs: number } | { nightlyAt: number };

type JobKind = {
  label: string;
  schedule: Schedule;
  /** One pass: what it did, by name (the counts of the log line). */
  run: (now: Date) => Promise<Record<string, unknown>>;
};

/**
 * The time-driven work, one kind per schedule. Each kind is idempotent and safe twice at once (rows claimed with
 * FOR UPDATE SKIP LOCKED), and never runs twice at once anyway (`withJobLock`).
 */
export const JOB_KINDS = {
  // Every few seconds: each pass sends until the outbox is empty.
  outbox: {
    label: "courriels",
    schedule: { everyMs: 5_000 },
    run: async (now) => {
      const transport = smtpTransport();
      if (!transport) return { outbox: { smtp: "non configuré" } };
      try {
        return { outbox: await deliverOutbox(db, transport, { now }) };
      } finally {
        transport.close();
      }
    },
  },
  avenants: {
    label: "courriers valant avenant",
    schedule: { everyMs: 60_000 },
    run: async (now) => ({ avenants: await runAvenantJobs(now) }),
  },
  // Side by side: the obligations' work is mostly waiting on many small queries, the bilans' and the signalements'
  // daily digests touch other rows.
  reminders: {
    label: "relances",
    schedule: { everyMs: 60_000 },
    run: async (now) => {
      const [obligations, bilanReminders, signalementDigests] = await Promise.all([
        remindLateObligations(now),
        remindBilans(now),
        signalementDigestJob(now),
      ]);
      return { obligations, bilanReminders, signalementDigests };
    },
  },
  reports: {
    label: "indicateurs",
    schedule: { everyMs: 60_000 },
    run: async () => {
      await foldReportChanges();
      return {};
    },
  },
  anonymisation: {
    label: "anonymisation",
    schedule: { nightlyAt: 3 },
    run: async (now) => {
      await purgeOldLoginAttempts(now);
      return {
        signalements: await anonymiseClosedSignalements(now),
        cribCases: await anonymiseClosedCribCases(now),
      };
    },
  },
} satisfies Record<string, JobKind>;

export type JobName = keyof typeof JOB_KINDS;
const NAMES = Object.keys(JOB_KINDS) as JobName[];

/** When a kind whose last pass ended at `after` runs next. */
export function nextRunAt(schedule: Schedule, after: Date): Date {
  if ("everyMs" in schedule) return new Date(after.getTime() + schedule.everyMs);
  const next = new TZDate(after, PARIS);
  next.setHours(schedule.nightlyAt, 0, 0, 0);
  if (next.getTime() <= after.getTime()) next.setDate(next.getDate() + 1);
  return new Date(next.getTime());
}

/** The counts of a pass's result, flattened (`outbox.sent=12`), for its log line. */
function countsOf(result: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(result).flatMap(([key, value]) =>
    typeof value === "number"
      ? value > 0
        ? [`${prefix}${key}=${value}`]
        : []
      : value && typeof value === "object"
        ? countsOf(value as Record<string, unknown>, `${prefix}${key}.`)
        : [],
  );
}

/** One pass of a kind, under its lock; one log line when it did something. */
export async function runJob(name: JobName, now = new Date()): Promise<Record<string, unknown> | "skipped"> {
  const started = performance.now();
  const result = await withJobLock(name, () => JOB_KINDS[name].run(now));
  if (result !== "skipped") {
    const counts = countsOf(result);
    if (counts.length > 0)
      console.log(
        `Tâche « ${JOB_KINDS[name].label} » : ${counts.join(", ")} (${Math.round(performance.now() - started)} ms)`,
      );
  }
  return result;
}

/**
 * One pass of every kind (`npm run jobs`, tests), the reminders and letters first so that the mails they queue
 * leave in the same run. A kind already running elsewhere is listed in `skipped`.
 */
export async function runJobs(now = new Date()): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const skipped: JobName[] = [];
  const passes: Array<readonly [JobName, Record<string, unknown> | "skipped"]> = await Promise.all(
    (["avenants", "reminders"] as const).map(async (name) => [name, await runJob(name, now)] as const),
  );
  for (const name of ["outbox", "anonymisation", "reports"] as const)
    passes.push([name, await runJob(name, now)]);
  for (const [name, result] of passes) {
    if (result === "skipped") skipped.push(name);
    else Object.assign(results, result);
  }
  return skipped.length > 0 ? { ...results, skipped } : results;
}

/**
 * The server's scheduler: each kind runs on its own schedule, its next pass planned when the previous one ends (so
 * a slow pass delays its kind, never piles up). Returns a function that stops planning new passes.
 */
export function scheduleJobs(): () => void {
  const timers = new Map<JobName, NodeJS.Timeout>();
  let stopped = false;
  const plan = (name: JobName, at: Date) => {
    if (stopped) return;
    const timer = setTimeout(
      async () => {
        await runJob(name).catch((error) =>
          console.error(
            `Tâche « ${JOB_KINDS[name].label} » :`,
            error instanceof Error ? error.message : error,
          ),
        );
        plan(name, nextRunAt(JOB_KINDS[name].schedule, new Date()));
      },
      Math.max(0, at.getTime() - Date.now()),
    );
    timer.unref();
    timers.set(name, timer);
  };
  // The first passes soon after start (the night's work at its hour).
  for (const name of NAMES) {
    const { schedule } = JOB_KINDS[name];
    plan(name, "everyMs" in schedule ? new Date() : nextRunAt(schedule, new Date()));
  }
  return () => {
    stopped = true;
    for (const timer of timers.values()) clearTimeout(timer);
  };
}
