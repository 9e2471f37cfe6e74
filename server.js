// Production server: serves the Remix build with express, after migrating and seeding the database.
// On PostgreSQL it runs one HTTP worker per core (WEB_CONCURRENCY overrides): the primary process migrates, seeds and
// runs the jobs, the workers only answer requests. PGlite is one process, so the embedded database serves in-process.
import cluster from "node:cluster";
import os from "node:os";
import { createRequestHandler } from "@remix-run/node";
import express from "express";
import responseTime from "response-time";

// This file is the production server: React, Remix and express take their production paths unless told otherwise
// (with React's development build, a signalements board cost ~45 ms of CPU instead of ~31). Set before the build
// is loaded.
process.env.NODE_ENV ??= "production";
const remixBuild = await import("./build/server/index.js");
// Every loader and action answers a lost database connection with a French 503 (the pool reconnects by itself).
const build = remixBuild.entry.module.withLostConnectionAnswers(remixBuild);
const { boot, shutdown } = build.entry.module;
const port = Number(process.env.PORT ?? 3000);
const workerCount = process.env.DATABASE_URL
  ? Math.max(1, Number(process.env.WEB_CONCURRENCY ?? os.availableParallelism()))
  : 1;

// API requests go straight to their route module (app/api/dispatch.server.ts); pages go through Remix.
const api = build.entry.module.apiDispatcher(build);
const getLoadContext = (req, res) => ({
  ip: req.ip,
  appendHeader: (name, value) => res.append(name, value),
  cspNonce: res.locals.cspNonce,
});

/**
 * An express request as the Fetch request route modules read: the body is the one `limitBodies` read (within its
 * route's limit); the signal aborts loaders and actions when the client goes before its answer.
 */
function fetchRequestOf(req, res) {
  const host = (req.app.get("trust proxy") && req.get("x-forwarded-host")) || req.get("host");
  const controller = new AbortController();
  res.once("close", () => res.writableFinished || controller.abort());
  const init = { method: req.method, headers: req.headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") init.body = req.body;
  return new Request(`${req.protocol}://${host}${req.originalUrl}`, init);
}

// Last resort, logged: a promise a library forgot to await must not take every request in flight down with the
// process (the known ones, postgres.js' on a lost connection, are fixed in db/postgres-driver.server.ts).
process.on("unhandledRejection", (reason) => console.error("Promesse rejetée non traitée :", reason));

/** Up to this much of a body is gathered before it is written (see `send`). */
const WRITE_BATCH_BYTES = 64 * 1024;

/**
 * Writes a Fetch response to express. The route's headers replace the server's defaults (its own Cache-Control…);
 * cookies add up. A page arrives from React and Remix in many small chunks (its HTML, then its data in inline
 * scripts), each on its own turn of the event loop: written one by one, each was a system call (`writev`: 7 % of a
 * page's CPU in a profile of /signalements). They are gathered up to 64 KiB, so a page leaves in one or two writes
 * and a long export still streams.
 */
async function send(res, response) {
  res.status(response.status);
  for (const [name, value] of response.headers) {
    if (name === "set-cookie") res.append(name, value);
    else res.set(name, value);
  }
  if (!response.body) return res.end();
  const reader = response.body.getReader();
  let batch = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (!done) {
        batch.push(value);
        size += value.byteLength;
      }
      if (done || size >= WRITE_BATCH_BYTES) {
        if (batch.length > 0) res.write(batch.length === 1 ? batch[0] : Buffer.concat(batch));
        batch = [];
        size = 0;
      }
      if (done) return res.end();
    }
  } catch (error) {
    res.destroy(error);
    throw error;
  }
}

function serve() {
  const app = express();
  app.disable("x-powered-by");
  // The time spent on each response, from its request's arrival to its headers (`npm run bench` reads it, so do
  // browsers' developer tools).
  app.use(responseTime((_req, res, ms) => res.setHeader("Server-Timing", `app;dur=${ms.toFixed(1)}`)));
  // Behind a reverse proxy that terminates HTTPS, TRUST_PROXY=1 (a hop count, or a list of addresses) makes
  // req.protocol and req.ip honour X-Forwarded-*.
  const trustProxy = build.entry.module.trustProxySetting(process.env.TRUST_PROXY);
  if (trustProxy !== undefined) app.set("trust proxy", trustProxy);
  // A Content-Security-Policy with a fresh nonce for Remix's inline scripts, no framing, no sniffing (helmet).
  app.use(build.entry.module.securityHeaders);
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  // Only paths that name a file (favicon.ico…) look on disk: pages and the API never pay for a stat.
  const clientFiles = express.static("build/client", { maxAge: "1h" });
  app.use((req, res, next) => (/\.[a-z0-9]+$/i.test(req.path) ? clientFiles(req, res, next) : next()));
  // Past the static files, every answer may carry personal data: no cache keeps it.
  app.use(build.entry.module.noStore);
  // Bodies are read here, each within its route's limit (a French 413 past it, chunked bodies included).
  app.use(build.entry.module.limitBodies);
  app.all("/api/v1/*", async (req, res, next) => {
    try {
      const response = await api.answer(fetchRequestOf(req, res), getLoadContext(req, res));
      if (!response) return next();
      await send(res, response);
    } catch (error) {
      next(error);
    }
  });
  // A page write from another site: Remix's own check would answer a bare 500; answer a French 403 first.
  const { crossOriginWriteRefusal } = build.entry.module;
  app.use((req, res, next) => {
    const refusal = crossOriginWriteRefusal(req.method, (name) => req.get(name));
    if (refusal) res.status(403).type("text/plain; charset=utf-8").send(refusal);
    else next();
  });
  const handlePage = createRequestHandler(build, process.env.NODE_ENV);
  app.all("*", async (req, res, next) => {
    try {
      await send(res, await handlePage(fetchRequestOf(req, res), getLoadContext(req, res)));
    } catch (error) {
      next(error);
    }
  });
  return app.listen(port);
}

function onStop(stop) {
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      stop().finally(() => process.exit());
      setTimeout(() => process.exit(0), 5000).unref();
    });
  }
}

const closeServer = (server) => new Promise((resolve) => server.close(resolve));

if (cluster.isPrimary) {
  // Links in e-mails come from PUBLIC_URL only: a PostgreSQL deployment without it refuses to start.
  try {
    build.entry.module.publicUrl();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  const { stopJobs } = await boot({ port });
  const ready = () => console.log(`Portail prêt sur http://localhost:${port}`);
  if (workerCount === 1) {
    const server = serve().once("listening", ready);
    onStop(async () => {
      stopJobs?.();
      await closeServer(server);
      await shutdown();
    });
  } else {
    let stopping = false;
    let listening = 0;
    const listened = new WeakSet();
    cluster.on("listening", (worker) => {
      listened.add(worker);
      listening += 1;
      if (listening === workerCount) ready();
    });
    // A worker that dies after it served is replaced, so one crash does not take a core away for good; one that
    // could not even listen (port taken…) would fail again: stop.
    cluster.on("exit", (worker, code, signal) => {
      if (stopping) return;
      if (!listened.has(worker)) {
        console.error(`Le serveur n'a pas pu écouter sur le port ${port} : arrêt.`);
        process.kill(process.pid, "SIGTERM");
        process.exitCode = 1;
        return;
      }
      console.error(`Processus ${worker.process.pid} arrêté (${signal ?? code}) : relance.`);
      cluster.fork();
    });
    for (let i = 0; i < workerCount; i++) cluster.fork();
    onStop(async () => {
      stopping = true;
      stopJobs?.();
      const workers = Object.values(cluster.workers ?? {});
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise((resolve) => {
              worker.once("exit", resolve);
              worker.process.kill("SIGTERM");
            }),
        ),
      );
      await shutdown();
    });
  }
} else {
  const server = serve();
  onStop(async () => {
    await closeServer(server);
    await shutdown();
  });
}
