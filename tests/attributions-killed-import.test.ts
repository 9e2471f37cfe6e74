import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ATTRIBUTION_COLUMNS } from "~/lib/attribution-schemas";

/**
 * A process killed in the middle of an import leaves nothing half-imported: the import runs in a child process,
 * which is killed with SIGKILL once its first rows are written inside the open transaction; the database then holds
 * none of them. On the test's PostgreSQL database when DATABASE_URL is set, otherwise on a PGlite folder on disk.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flux-killed-import-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const env = {
  ...process.env,
  ...(process.env.DATABASE_URL ? {} : { DATA_DIR: path.join(dir, "pglite") }),
};
const child = (...args: string[]): ChildProcess =>
  spawn(process.execPath, ["--import", "tsx", "tests/helpers/import-child.ts", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });

/** Runs a child to its end and returns its last line of output (JSON). */
function run(...args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const process = child(...args);
    let out = "";
    let err = "";
    process.stdout?.on("data", (d) => {
      out += d;
    });
    process.stderr?.on("data", (d) => {
      err += d;
    });
    process.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!)) : reject(new Error(`${code}: ${err}`)),
    );
  });
}

/** A valid file of `n` attributions. */
function bigFile(n: number): string {
  const lines = [ATTRIBUTION_COLUMNS.map((c) => c.header).join(";")];
  for (let i = 0; i < n; i++)
    lines.push(
      ATTRIBUTION_COLUMNS.map((c) =>
        c.field === "numeroUnique" ? `0592401${String(i).padStart(6, "0")}K` : c.example,
      ).join(";"),
    );
  const file = path.join(dir, "attributions.csv");
  fs.writeFileSync(file, lines.join("\n"));
  return file;
}

describe("an import killed midway", () => {
  it("leaves no row and no audit entry, and the same file imports whole afterwards", async () => {
    const { userId, organisationId } = (await run("prepare")) as { userId: string; organisationId: string };
    const file = bigFile(2500);
    const importing = child("import", userId, organisationId, file, "pause");
    const outcome = await new Promise<{ sawChunk: boolean; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        let sawChunk = false;
        let err = "";
        importing.stderr?.on("data", (d) => {
          err += d;
        });
        importing.stdout?.on("data", (d: Buffer) => {
          if (!sawChunk && d.toString().includes("chunk")) {
            sawChunk = true;
            importing.kill("SIGKILL");
          }
        });
        importing.on("exit", (code, signal) =>
          signal || sawChunk ? resolve({ sawChunk, signal }) : reject(new Error(`exit ${code}: ${err}`)),
        );
      },
    );
    expect(outcome).toEqual({ sawChunk: true, signal: "SIGKILL" });
    expect(await run("count")).toEqual({ attributions: 0, audits: 0 });
    expect(await run("import", userId, organisationId, file, "through")).toEqual({
      received: 2500,
      created: 2500,
      alreadyKnown: 0,
    });
  }, 480_000);
});
