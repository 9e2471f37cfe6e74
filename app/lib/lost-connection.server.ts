import type { ServerBuild } from "@remix-run/node";
import { isConnectionLost } from "#db/client.server";
import { databaseUnavailable } from "./http.server";

type DataFunction = (args: never) => unknown;

/** A loader or action that answers a lost database connection with the French 503 instead of a 500. */
export function answeringLostConnection<F extends DataFunction>(handler: F): F {
  return (async (args: never) => {
    try {
      return await handler(args);
    } catch (error) {
      if (isConnectionLost(error)) throw databaseUnavailable();
      throw error;
    }
  }) as F;
}

/** The build with every route's loader and action wrapped (the production server serves this one). */
export function withLostConnectionAnswers(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const { loader, action } = route.module;
      const module = {
        ...route.module,
        ...(loader ? { loader: answeringLostConnection(loader) } : {}),
        ...(action ? { action: answeringLostConnection(action) } : {}),
      };
      return [id, { ...route, module }];
    }),
  );
  return { ...build, routes };
}
