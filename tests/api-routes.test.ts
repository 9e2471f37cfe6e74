import path from "node:path";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import type { RouteManifest } from "@remix-run/dev/dist/config/routes.js";
import type { ServerBuild } from "@remix-run/node";
import { matchServerRoutes } from "@remix-run/server-runtime/dist/routeMatching.js";
import { createRoutes } from "@remix-run/server-runtime/dist/routes.js";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { apiDispatcher } from "~/api/dispatch.server";
import type { ApiInputs, ApiMethod, ApiOutputs } from "~/api/handler.server";
import { openApiDocument } from "~/api/openapi";
import { fromZod, fromZodOutput, queryParameters } from "~/api/openapi-helpers";
import remixConfig from "../remix.config.js";

// The API's real route table, as Remix builds it from app/routes (the same flat-routes convention and ignored files
// as the build), checked against the OpenAPI document and against Remix's own matching.

const manifest: RouteManifest = {
  root: { id: "root", path: "", file: "root.tsx" },
  ...flatRoutes(path.resolve("app"), remixConfig.ignoredRouteFiles),
};
const apiIds = Object.keys(manifest).filter((id) => id.startsWith("routes/api.v1."));
type ApiModule = { methods?: readonly ApiMethod[]; inputs?: ApiInputs; outputs?: ApiOutputs };
const modules: Record<string, ApiModule> = Object.fromEntries(
  await Promise.all(
    Object.entries(manifest).map(async ([id, route]) => [
      id,
      id.startsWith("routes/api.v1.") ? await import(/* @vite-ignore */ path.resolve("app", route.file)) : {},
    ]),
  ),
);
/** The manifest as the server build holds it, each route with its module. */
const build = {
  routes: Object.fromEntries(
    Object.entries(manifest).map(([id, route]) => [id, { ...route, module: modules[id] }]),
  ),
} as unknown as ServerBuild;

/** A route's full path from the manifest (its parents' paths and its own), as the dispatcher computes it. */
function fullPath(id: string): string {
  const paths: string[] = [];
  for (let route = manifest[id]; route; route = route.parentId ? manifest[route.parentId] : undefined)
    if (route.path) paths.unshift(route.path);
  return paths.join("/");
}

// Neither describes an operation of the API: the catch-all answers 404 to any unknown path, the document is itself.
const UNDOCUMENTED = ["routes/api.v1.$", "routes/api.v1.openapi[.json]"];

/** `api/v1/programmes/:id/split` → `/programmes/{id}/split`, as the OpenAPI document names it. */
const openApiPath = (fullPath: string) => fullPath.replace(/^api\/v1/, "").replace(/:([A-Za-z]+)/g, "{$1}");

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;

describe("the OpenAPI document", () => {
  it("documents every method of every API route, and nothing else", () => {
    expect(apiIds.length).toBeGreaterThan(40);
    const routed: string[] = [];
    for (const id of apiIds.filter((id) => !UNDOCUMENTED.includes(id))) {
      const module = modules[id]!;
      expect(module.methods, `${id} exports its method map (\`methods\`)`).toBeDefined();
      for (const method of module.methods ?? []) routed.push(`${method} ${openApiPath(fullPath(id))}`);
    }
    const paths = openApiDocument.paths as Record<
      string,
      Partial<Record<(typeof HTTP_METHODS)[number], unknown>>
    >;
    const documented = Object.entries(paths).flatMap(([route, operations]) =>
      HTTP_METHODS.filter((method) => operations[method]).map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(routed.sort()).toEqual(documented.sort());
  });
});

describe("the served OpenAPI document", () => {
  const served = async () => {
    const { loader } = modules["routes/api.v1.openapi[.json]"] as { loader: () => Response };
    return (await loader().json()) as { paths: Record<string, Record<string, { parameters?: object[] }>> };
  };

  it("is valid OpenAPI 3.1 (the specification's own JSON Schema)", async () => {
    const result = await new Validator().validate(await served());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("is refused when a parameter does not say where it goes (the check can fail)", async () => {
    const broken = await served();
    broken.paths["/signalements"]!.get!.parameters = [{ name: "status", schema: { type: "string" } }];
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });
});

describe("the API dispatcher", () => {
  const dispatcher = apiDispatcher(build);
  const remixRoutes = createRoutes(build.routes);
  const remixChoice = (pathname: string) => matchServerRoutes(remixRoutes, pathname)?.at(-1)?.route.id;

  /** Each API route's path with sample params, as written, in capitals and with a trailing slash; and near misses. */
  const pathnames = apiIds.flatMap((id) => {
    const sample = `/${fullPath(id)
      .replace(/:[A-Za-z]+/g, "2027")
      .replace("*", "inconnu/chemin")}`;
    return [sample, sample.toUpperCase(), `${sample}/`, `${sample}/de-trop`];
  });

  it("sends every API path to the route Remix's own matching picks", () => {
    expect(pathnames.length).toBe(apiIds.length * 4);
    for (const pathname of pathnames)
      expect(dispatcher.match(pathname)?.id, pathname).toBe(remixChoice(pathname));
  });

  it("prefers a static segment to a parameter, as Remix does", () => {
    expect(dispatcher.match("/api/v1/programmes/deliveries")?.id).toBe("routes/api.v1.programmes.deliveries");
    expect(remixChoice("/api/v1/programmes/deliveries")).toBe("routes/api.v1.programmes.deliveries");
  });
});

type Operation = {
  parameters?: Array<{ in: string }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
const documentPaths = openApiDocument.paths as unknown as Record<string, Record<string, Operation>>;
const components = openApiDocument.components.schemas as Record<string, unknown>;
/** A schema of the document, its `$ref` to a component followed. */
const resolved = (schema: unknown) => {
  const target = (schema as { $ref?: string } | undefined)?.$ref?.replace("#/components/schemas/", "");
  return target ? components[target] : schema;
};

/** A schema of the document with every `$ref` to a component replaced by the component, at any depth. */
const inlined = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(inlined);
  if (!schema || typeof schema !== "object") return schema;
  const target = resolved(schema);
  if (target !== schema) return inlined(target);
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, inlined(value)]));
};

/** Each method of each documented API route, with what its module says it parses and what the document says. */
const operations = apiIds
  .filter((id) => !UNDOCUMENTED.includes(id))
  .flatMap((id) =>
    (modules[id]!.methods ?? []).map((method) => {
      const path = openApiPath(fullPath(id));
      return {
        name: `${method} ${path}`,
        inputs: modules[id]!.inputs?.[method],
        outputs: modules[id]!.outputs?.[method],
        operation: documentPaths[path]![method.toLowerCase()]!,
      };
    }),
  );

describe("the OpenAPI document's inputs, generated from the zod schemas the routes parse with", () => {
  it("gives each JSON body as the zod schema that validates it, and none where the route reads none", () => {
    expect(operations.filter(({ inputs }) => inputs?.body).length).toBeGreaterThan(20);
    for (const { name, inputs, operation } of operations) {
      const documented = resolved(operation.requestBody?.content["application/json"]?.schema);
      expect(documented, name).toEqual(inputs?.body ? fromZod(inputs.body) : undefined);
    }
  });

  it("gives each query parameter as a field of the zod schema that parses the query string", () => {
    expect(operations.filter(({ inputs }) => inputs?.query).length).toBeGreaterThan(8);
    for (const { name, inputs, operation } of operations) {
      const documented = (operation.parameters ?? []).filter((parameter) => parameter.in === "query");
      expect(documented, name).toEqual(inputs?.query ? queryParameters(inputs.query) : []);
    }
  });

  it("describe what the schema validates (required fields and bounds)", () => {
    const recommendations = openApiDocument.paths["/programmes/{id}/recommendations"].post.requestBody;
    expect(recommendations.content["application/json"].schema).toEqual({
      type: "object",
      properties: { text: { type: "string", minLength: 2, maxLength: 4000 } },
      required: ["text"],
    });
  });
});

describe("the OpenAPI document's responses, generated from the zod schemas of the answers", () => {
  const success = (operation: Operation) =>
    Object.entries(operation.responses).filter(([status]) => status.startsWith("2"));

  it("gives each JSON success answer as the zod schema its route declares, and declares no other", () => {
    expect(operations.filter(({ outputs }) => outputs).length).toBeGreaterThan(40);
    for (const { name, outputs, operation } of operations) {
      const documented = Object.fromEntries(
        success(operation)
          .filter(([, response]) => response.content?.["application/json"])
          .map(([status, response]) => [status, inlined(response.content!["application/json"]!.schema)]),
      );
      const declared = Object.fromEntries(
        Object.entries(outputs ?? {}).map(([status, schema]) => [status, fromZodOutput(schema as z.ZodType)]),
      );
      expect(documented, name).toEqual(declared);
    }
  });

  it("has every success answer in JSON, or in a format described by hand", () => {
    for (const { name, operation } of operations)
      for (const [status, response] of success(operation))
        expect(Object.keys(response.content ?? {}), `${name} ${status}`).not.toEqual([]);
  });
});
