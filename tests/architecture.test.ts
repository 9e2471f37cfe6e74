import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The import rule of docs/architecture.md, checked over the source: each layer imports only what lies below it.

type Import = { from: string; to: string; typeOnly: boolean };

const ALIASES: Record<string, string> = {
  "~/": "app/",
  "#db/": "db/",
  "#policies/": "policies/",
  "#emails/": "emails/",
  "#seed/": "seed/",
};

/** An import's target: a path from the repository's root (without extension), or the package's name. */
function resolve(from: string, specifier: string): string {
  if (specifier.startsWith("."))
    return path.posix.join(path.posix.dirname(from), specifier).replace(/\.(tsx?|js)$/, "");
  const alias = Object.keys(ALIASES).find((prefix) => specifier.startsWith(prefix));
  return alias ? ALIASES[alias] + specifier.slice(alias.length) : specifier;
}

const STATIC_IMPORT =
  /^\s*(?:import|export)\s+(type\s+)?(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*\{[^}]*\})?)\s+from\s+["']([^"']+)["']/gm;
const BARE_OR_DYNAMIC_IMPORT = /(?:^\s*import\s+|\bimport\(\s*)["']([^"']+)["']/gm;

/** The imports a module's text declares (static, side-effect and dynamic ones). */
function importsOf(from: string, source: string): Import[] {
  const found: Import[] = [];
  for (const [, type, specifier] of source.matchAll(STATIC_IMPORT))
    found.push({ from, to: resolve(from, specifier!), typeOnly: Boolean(type) });
  for (const [, specifier] of source.matchAll(BARE_OR_DYNAMIC_IMPORT))
    found.push({ from, to: resolve(from, specifier!), typeOnly: false });
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.posix.join(entry.parentPath.replaceAll(path.sep, "/"), entry.name));
}

const isRemix = (to: string) => to.startsWith("@remix-run/");
const isDbConnection = (to: string) => to.startsWith("db/") && to !== "db/schema";
const isServerOnly = (to: string) => to.endsWith(".server") || isDbConnection(to);
const under =
  (...dirs: string[]) =>
  (to: string) =>
    dirs.some((dir) => to.startsWith(dir));

type Rule = { layer: string; forbids: string; broken: (imported: Import) => boolean };

/** What each layer may not import (docs/architecture.md, « Ce que chaque couche importe »). */
const RULES: Rule[] = [
  {
    layer: "app/domain/",
    forbids: "Remix, server-only modules, the database's values, models, policies, API, routes",
    broken: ({ to, typeOnly }) =>
      isRemix(to) ||
      isServerOnly(to) ||
      (to === "db/schema" && !typeOnly) ||
      under("app/models/", "policies/", "app/api/", "app/routes/", "app/jobs/")(to),
  },
  {
    layer: "policies/",
    forbids:
      "Remix, server-only modules (HTTP, the database's connection), the database's values, models, API, routes",
    broken: ({ to, typeOnly }) =>
      isRemix(to) ||
      isServerOnly(to) ||
      (to === "db/schema" && !typeOnly) ||
      under("app/models/", "app/api/", "app/routes/", "app/jobs/")(to),
  },
  {
    layer: "app/models/",
    forbids: "Remix, API, routes, components",
    broken: ({ to }) => isRemix(to) || under("app/api/", "app/routes/", "app/components/")(to),
  },
  {
    layer: "app/lib/",
    forbids: "models, API, routes, components",
    broken: ({ to }) => under("app/models/", "app/api/", "app/routes/", "app/components/")(to),
  },
  {
    layer: "app/api/",
    forbids: "the database's connection, routes",
    broken: ({ to }) => isDbConnection(to) || under("app/routes/")(to),
  },
  {
    layer: "app/routes/",
    forbids: "the database's connection (a route reads and writes through a model)",
    broken: ({ to }) => isDbConnection(to),
  },
  {
    layer: "app/components/",
    forbids: "server-only modules, models, API, routes",
    broken: ({ to }) => isServerOnly(to) || under("app/models/", "app/api/", "app/routes/")(to),
  },
];

/**
 * Today's exceptions, each with its reason; an exception that no longer happens fails the test, so the list only
 * shrinks. Key: `importer -> imported`.
 */
const EXCEPTIONS: Record<string, string> = {
  // The API wrapper answers a lost connection with a 503: it asks the driver's error, it does not query.
  "app/api/handler.server.ts -> db/client.server": "isConnectionLost, to answer 503",
};

function violations(imports: Import[]): string[] {
  return imports
    .filter((imported) => RULES.some((rule) => imported.from.startsWith(rule.layer) && rule.broken(imported)))
    .map(({ from, to }) => `${from} -> ${to}`);
}

describe("the import rule (docs/architecture.md)", () => {
  const imports = ["app", "policies"].flatMap((dir) =>
    sourceFiles(dir).flatMap((file) => importsOf(file, readFileSync(file, "utf8"))),
  );

  it("reads the imports of the source (the parser finds them)", () => {
    expect(imports.length).toBeGreaterThan(500);
    expect(imports).toContainEqual({
      from: "app/routes/api.v1.$.ts",
      to: "app/api/handler.server",
      typeOnly: false,
    });
    const multiline = importsOf(
      "app/models/x.server.ts",
      'import {\n  a,\n  type B,\n} from "./y.server";\nimport type { C } from "#db/schema";\nawait import("~/routes/z");',
    );
    expect(multiline).toEqual([
      { from: "app/models/x.server.ts", to: "app/models/y.server", typeOnly: false },
      { from: "app/models/x.server.ts", to: "db/schema", typeOnly: true },
      { from: "app/models/x.server.ts", to: "app/routes/z", typeOnly: false },
    ]);
  });

  it("flags an import across the rule (the check can fail)", () => {
    const crossing: Import[] = [
      { from: "app/models/a.server.ts", to: "@remix-run/node", typeOnly: true },
      { from: "app/domain/b.ts", to: "db/schema", typeOnly: false },
      { from: "app/domain/b.ts", to: "app/lib/actor.server", typeOnly: false },
      { from: "policies/rules.ts", to: "app/models/members.server", typeOnly: false },
      { from: "app/routes/c.tsx", to: "db/client.server", typeOnly: false },
      { from: "app/components/d.tsx", to: "app/lib/http.server", typeOnly: false },
    ];
    expect(violations(crossing)).toHaveLength(crossing.length);
    expect(
      violations([
        { from: "app/domain/b.ts", to: "db/schema", typeOnly: true },
        { from: "app/routes/c.tsx", to: "db/schema", typeOnly: false },
        { from: "app/models/a.server.ts", to: "db/client.server", typeOnly: false },
      ]),
    ).toEqual([]);
  });

  it("holds over app/ and policies/, but for today's listed exceptions", () => {
    const found = [...new Set(violations(imports))].sort();
    expect(found).toEqual(Object.keys(EXCEPTIONS).sort());
  });
});
