// Production server: serves the Remix build with express, after migrating and seeding the database.
import { createRequestHandler } from "@remix-run/express";
import express from "express";

const build = await import("./build/server/index.js");
const { boot, shutdown } = build.entry.module;
const port = Number(process.env.PORT ?? 3000);
const { jobsTimer } = await boot({ port });

const app = express();
app.disable("x-powered-by");
// Behind a reverse proxy that terminates HTTPS, TRUST_PROXY=1 makes req.protocol and req.ip honour X-Forwarded-*.
if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
app.use((_req, res, next) => {
  res.set({
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
  });
  next();
});
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all(
  "*",
  createRequestHandler({
    build,
    getLoadContext: (req, res) => ({ ip: req.ip, appendHeader: (name, value) => res.append(name, value) }),
  }),
);

const server = app.listen(port, () => console.log(`Portail prêt sur http://localhost:${port}`));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    clearInterval(jobsTimer);
    server.close(async () => {
      await shutdown();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
