import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, ServerBuild } from "@remix-run/node";
import { httpError } from "~/lib/http.server";
import { type ApiMethod, methodNotAllowed, requireMethod } from "./handler.server";

type Routes = ServerBuild["routes"];
type RouteModule = Routes[string]["module"];
type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<Response> | Response;

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

/** A route's full path as a pattern (case-insensitive, optional trailing slash, as Remix matches) and its params. */
function patternOf(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      if (segment === "*") {
        names.push("*");
        return "(.*)";
      }
      if (segment.startsWith(":")) {
        names.push(segment.slice(1));
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { pattern: new RegExp(`^/${source}/?$`, "i"), names };
}

/** A route's full path: its parents' paths and its own. */
function fullPath(routes: Routes, id: string): string {
  const paths: string[] = [];
  for (let route = routes[id]; route; route = route.parentId ? routes[route.parentId] : undefined)
    if (route.path) paths.unshift(route.path);
  return paths.join("/");
}

/** A module's method map (its `methods` export), or what its handlers imply: GET for a loader, POST for an action. */
function methodsOf(module: RouteModule): readonly ApiMethod[] {
  const declared = (module as { methods?: readonly ApiMethod[] }).methods;
  if (declared) return declared;
  return [...(module.loader ? (["GET"] as const) : []), ...(module.action ? (["POST"] as const) : [])];
}

const decode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/**
 * The production server's dispatch of `/api/v1/*` to the API's route modules (`routes/api.v1.*`): the path is matched
 * against patterns compiled once, ranked as Remix ranks them, and the module's loader (GET, HEAD) or action answers.
 * Every API module answers a Response, errors included (`apiHandler`), so Remix's document machinery has nothing to
 * add there; its router flattened, ranked and compiled the routes on each request, which with its request plumbing
 * was over a quarter of an API call's CPU (docs/decisions/0005). Pages stay with Remix; so do the tests, which call
 * the same modules.
 * Returns, for a request, the module's answer, or null when no API route matches.
 */
export function apiDispatcher(build: Pick<ServerBuild, "routes">, prefix = "routes/api.v1.") {
  const candidates = Object.keys(build.routes)
    .filter((id) => id.startsWith(prefix))
    .map((id) => {
      const path = fullPath(build.routes, id);
      const module = build.routes[id]!.module;
      return { id, ...patternOf(path), score: score(path), module, methods: methodsOf(module) };
    })
    .sort((a, b) => b.score - a.score);

  /** The route a pathname goes to and its params, or null. */
  function match(pathname: string) {
    for (const candidate of candidates) {
      const found = candidate.pattern.exec(pathname);
      if (found)
        return {
          id: candidate.id,
          module: candidate.module,
          methods: candidate.methods,
          params: Object.fromEntries(candidate.names.map((name, i) => [name, decode(found[i + 1]!)])),
        };
    }
    return null;
  }

  async function answer(request: Request, context: AppLoadContext): Promise<Response | null> {
    const route = match(new URL(request.url).pathname);
    if (!route) return null;
    const read = request.method === "GET" || request.method === "HEAD";
    const handler = (read ? route.module.loader : route.module.action) as Handler | undefined;
    try {
      requireMethod(request, route.methods);
      if (!handler) throw methodNotAllowed(request.method, route.methods);
      return await handler({ request, params: route.params, context });
    } catch (error) {
      if (error instanceof Response) return error;
      console.error(error);
      return httpError(500, "Erreur interne : la demande n'a pas abouti et rien n'a été modifié.");
    }
  }

  return { match, answer };
}
