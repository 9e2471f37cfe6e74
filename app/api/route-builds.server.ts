import type { ServerBuild } from "@remix-run/node";

type Routes = ServerBuild["routes"];

/**
 * Remix ranks the routes matching a path by this score (@remix-run/router's computeScore): one point per segment,
 * ten per static segment, three per parameter, a splat costs two. Among the API's paths, a static segment thus wins
 * over a parameter at the same place (`programmes/deliveries` over `programmes/:id`) and the catch-all comes last.
 */
function score(path: string): number {
  const segments = path.split("/");
  const splat = segments.includes("*");
  return segments
    .filter((segment) => segment !== "*")
    .reduce(
      (total, segment) => total + (segment.startsWith(":") ? 3 : segment === "" ? 1 : 10),
      segments.length + (splat ? -2 : 0),
    );
}

/** The pattern of a route's full path: case-insensitive and with an optional trailing slash, as Remix matches. */
function patternOf(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) =>
      segment === "*"
        ? ".*"
        : segment.startsWith(":")
          ? "[^/]+"
          : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return new RegExp(`^/${source}/?$`, "i");
}

/** A route's ids from the root down to it, and its full path. */
function chainOf(routes: Routes, id: string): { ids: string[]; path: string } {
  const ids: string[] = [];
  const paths: string[] = [];
  for (let route = routes[id]; route; route = route.parentId ? routes[route.parentId] : undefined) {
    ids.unshift(route.id);
    if (route.path) paths.unshift(route.path);
  }
  return { ids, path: paths.join("/") };
}

/**
 * For the API (routes `routes/api.v1.*`), the build Remix needs to answer one path: the root and the one route
 * chain that matches it, chosen here once by patterns compiled at start. Remix itself still runs the request (method,
 * errors, HEAD…), but over two or three routes: its router flattens, ranks and compiles every route it is given on
 * each request, which cost a quarter of an API call's time over the whole API (docs/decisions/0005).
 * Returns, for a pathname, that build (the same object for every path of a route), or null when no API route matches.
 */
export function apiRouteBuilds(build: ServerBuild, prefix = "routes/api.v1.") {
  const candidates = Object.keys(build.routes)
    .filter((id) => id.startsWith(prefix))
    .map((id) => {
      const { ids, path } = chainOf(build.routes, id);
      const routes = Object.fromEntries(ids.map((routeId) => [routeId, build.routes[routeId]!]));
      return { pattern: patternOf(path), score: score(path), build: { ...build, routes } as ServerBuild };
    })
    .sort((a, b) => b.score - a.score);
  return (pathname: string): ServerBuild | null =>
    candidates.find((candidate) => candidate.pattern.test(pathname))?.build ?? null;
}
