/**
 * Starts the BUILT portal (`node server.js`) in a child process on a free loopback port, waits until it answers,
 * and stops it. Shared by the end-to-end suite (global setup) and the benchmark (tests/bench/run.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A TCP port nobody listens on right now (the kernel's choice on 127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("Aucun port libre trouvé."))));
    });
  });
}

export type RunningServer = {
  /** `http://localhost:<port>`: the origin the portal puts in its e-mails when PUBLIC_URL is unset. */
  baseUrl: string;
  port: number;
  process: ChildProcess;
  /** Everything the server printed so far (stdout and stderr interleaved). */
  output: () => string;
  stop: () => Promise<void>;
};

type StartOptions = {
  /** Extra environment; `DATABASE_URL: undefined` removes an inherited one (embedded PGlite then). */
  env?: Record<string, string | undefined>;
  /** Copy the server's output to this stream as it comes, each line prefixed (default: keep it quiet). */
  echo?: NodeJS.WritableStream;
  /** Also append the output to this file. */
  logFile?: string;
  readyTimeoutMs?: number;
  /** The port to listen on (default: a free one), when something must know the address before the server starts. */
  port?: number;
};

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const serverEntry = path.join(REPO_ROOT, "build", "server", "index.js");
  if (!fs.existsSync(serverEntry)) {
    throw new Error(`Pas de build (${serverEntry}) : lancez « npm run build » d'abord.`);
  }
  const port = options.port ?? (await freePort());
  const baseUrl = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port) };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }

  const child = spawn(process.execPath, ["server.js"], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: "a" }) : undefined;
  const collect = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    log?.write(text);
    if (options.echo) {
      for (const line of text.split("\n"))
        if (line.trim()) options.echo.write(`[serveur :${port}] ${line}\n`);
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    log?.end();
  };

  // Ready when /connexion answers at all (migrations and seeding happen before express listens).
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Le serveur s'est arrêté au démarrage (code ${child.exitCode ?? child.signalCode}) :\n${output}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/connexion`, {
        redirect: "manual",
        signal: AbortSignal.timeout(5_000),
      });
      await response.arrayBuffer();
      if (response.status < 500) return { baseUrl, port, process: child, output: () => output, stop };
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`Le serveur ne répond pas sur ${baseUrl} (dernière erreur : ${lastError}) :\n${output}`);
}
