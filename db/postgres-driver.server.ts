import Module, { createRequire } from "node:module";
import type postgresType from "postgres";

/**
 * postgres.js (3.4.9), with the two fixes it still lacks for a connection lost inside a transaction (a backend
 * terminated, a restart, a network cut). Without them the process dies — see docs/decisions/0012-lost-connections.md:
 * - once a connection has closed, `closed()` sets its socket to null, yet the transaction's own `rollback` (and any
 *   later query of the callback) is still written to it: `socket.write` on null in a `setImmediate`, an exception no
 *   caller can catch (upstream issues #1066, #1154, #1208; pull requests #1168, #1209 are not released);
 * - if the pool reconnects that connection meanwhile, the transaction's later queries would run outside it, on the
 *   new session (upstream pull request #1155);
 * - a connection lost while it fetches the array types (its first query) rejects a promise nobody awaits, which
 *   ends the process as an unhandled rejection; the failure already reaches the waiting query through `errored`;
 * - the server's last error on a connection it closed (« terminating connection due to administrator command ») is
 *   kept, and rejects the first query of the next session on that connection.
 * The fixes are applied to the package's CommonJS source as it loads; a version whose source no longer matches is
 * refused at start-up, so that an upgrade is checked (and this file dropped once upstream ships the fix).
 */
const PATCHES: Record<string, Array<[string, string]>> = {
  "connection.js": [
    ["return fetchArrayTypes()", "return fetchArrayTypes().catch(() => {})"],
    ["    terminated = false\n", "    terminated = false\n    errorResponse = null\n"],
    [
      "const x = socket.write(chunk, fn)",
      "if (!socket) { chunk = nextWriteTimer = null; error(Errors.connection('CONNECTION_CLOSED', options)); return false }\n    const x = socket.write(chunk, fn)",
    ],
  ],
  "index.js": [
    [", prepare = null\n", ", prepare = null\n      , lost = null\n"],
    [
      "new Promise((_, reject) => connection.onclose = reject)",
      "new Promise((_, reject) => connection.onclose = e => (lost = e, reject(e)))",
    ],
    [
      "q.catch(e => uncaughtError || (uncaughtError = e))\n",
      "q.catch(e => uncaughtError || (uncaughtError = e))\n        if (lost) return q.reject(lost)\n",
    ],
  ],
};

type Compile = (this: unknown, content: string, filename: string) => unknown;

function loadPatched(): typeof postgresType {
  const require = createRequire(import.meta.url);
  const sourceDir = require.resolve("postgres").replace(/index\.js$/, "");
  const prototype = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
  const compile = prototype._compile;
  prototype._compile = function (content, filename) {
    const patches = filename.startsWith(sourceDir) ? PATCHES[filename.slice(sourceDir.length)] : undefined;
    let source = content;
    for (const [from, to] of patches ?? []) {
      if (!source.includes(from))
        throw new Error(
          `postgres.js a changé (${filename}) : revoir les correctifs de db/postgres-driver.server.ts.`,
        );
      source = source.replace(from, to);
    }
    return compile.call(this, source, filename);
  };
  try {
    return require("postgres");
  } finally {
    prototype._compile = compile;
  }
}

export const postgres = loadPatched();
