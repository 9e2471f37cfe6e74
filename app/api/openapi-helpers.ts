import { z } from "zod";

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
export const jsonBody = (schema: unknown) => ({
  required: true,
  content: { "application/json": { schema } },
});
export const idParameter = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", format: "uuid" },
};

/**
 * The JSON Schema of a body, generated from the zod schema that validates it (what a client may send: zod's input
 * side), so the document cannot drift from the validation.
 */
export function fromZod(schema: z.ZodType) {
  const { $schema: _, ...jsonSchema } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return jsonSchema;
}
