import { openApiDocument } from "~/api/openapi";

/** Public: describing the API reveals no data. */
export const loader = () => Response.json(openApiDocument);
