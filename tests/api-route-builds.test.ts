import type { ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { apiRouteBuilds } from "~/api/route-builds.server";

// The shape of Remix's build manifest: nested routes carry their path relative to their parent.
const route = (id: string, path: string | undefined, parentId?: string) => ({
  id,
  path,
  parentId,
  module: {},
});
const routes = Object.fromEntries(
  [
    route("root", ""),
    route("routes/accueil", "accueil", "root"),
    route("routes/api.v1.me", "api/v1/me", "root"),
    route("routes/api.v1.programmes", "api/v1/programmes", "root"),
    route("routes/api.v1.programmes.$id", ":id", "routes/api.v1.programmes"),
    route("routes/api.v1.programmes.deliveries", "deliveries", "routes/api.v1.programmes"),
    route("routes/api.v1.programmes.$id.split", "split", "routes/api.v1.programmes.$id"),
    route("routes/api.v1.openapi[.json]", "api/v1/openapi.json", "root"),
    route("routes/api.v1.$", "api/v1/*", "root"),
  ].map((r) => [r.id, r]),
) as unknown as ServerBuild["routes"];
const build = { routes } as ServerBuild;
const routeFor = apiRouteBuilds(build);
/** The route ids of the build chosen for a path, root first. */
const chosen = (pathname: string) => Object.keys(routeFor(pathname)?.routes ?? {});

describe("the API's route for a path, as Remix would rank it", () => {
  it("hands Remix the root and the one matching chain, nested paths joined", () => {
    expect(chosen("/api/v1/me")).toEqual(["root", "routes/api.v1.me"]);
    expect(chosen("/api/v1/programmes/42/split")).toEqual([
      "root",
      "routes/api.v1.programmes",
      "routes/api.v1.programmes.$id",
      "routes/api.v1.programmes.$id.split",
    ]);
  });

  it("prefers a static segment to a parameter, and the catch-all last", () => {
    expect(chosen("/api/v1/programmes/deliveries").at(-1)).toBe("routes/api.v1.programmes.deliveries");
    expect(chosen("/api/v1/programmes/7f3a").at(-1)).toBe("routes/api.v1.programmes.$id");
    expect(chosen("/api/v1/programmes/7f3a/unknown").at(-1)).toBe("routes/api.v1.$");
    expect(chosen("/api/v1/openapixjson").at(-1)).toBe("routes/api.v1.$");
  });

  it("matches regardless of case and of a trailing slash, like Remix", () => {
    expect(chosen("/API/v1/Me/").at(-1)).toBe("routes/api.v1.me");
    expect(chosen("/api/v1/openapi.json").at(-1)).toBe("routes/api.v1.openapi[.json]");
  });

  it("gives the same build for every path of a route, and none outside the API", () => {
    expect(routeFor("/api/v1/programmes/1")).toBe(routeFor("/api/v1/programmes/2"));
    expect(routeFor("/accueil")).toBeNull();
  });
});
