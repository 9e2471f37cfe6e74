import type { z } from "zod";
import { fromZod, fromZodOutput } from "~/lib/json-schema";

export { fromZod, fromZodOutput };

/** Small builders shared by the OpenAPI fragments (new fragments use these rather than redefining them). */
export const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const jsonResponse = (schema: unknown, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
/** A success answer in JSON, its schema generated from the zod schema its route declares in `outputs`. */
export const outputResponse = (schema: z.ZodType, description: string) =>
  jsonResponse(fromZodOutput(schema), description);
export const jsonBody = (schema: unknown, required = true) => ({
  required,
  content: { "application/json": { schema } },
});
export const idParameter = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", format: "uuid" },
};
export const yearPathParameter = {
  name: "year",
  in: "path",
  required: true,
  schema: { type: "integer", example: 2026 },
};

/**
 * The query parameters of a route, one per field of the zod object schema it parses its query string with: the
 * field's JSON Schema, whether it is required, and its description (`.meta({ description })` beside the field).
 */
export function queryParameters(schema: z.ZodType) {
  const { properties = {}, required = [] } = fromZod(schema) as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, { description, ...fieldSchema }]) => ({
    name,
    in: "query",
    required: required.includes(name),
    ...(description ? { description } : {}),
    schema: fieldSchema,
  }));
}
