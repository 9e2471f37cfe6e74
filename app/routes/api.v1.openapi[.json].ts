import type { ApiMethod } from "~/api/handler.server";
import { openApiDocument } from "~/api/openapi";

export const methods: readonly ApiMethod[] = ["GET"];

/** Public: describing the API reveals no data. */
export const loader = () => Response.json(openApiDocument);
