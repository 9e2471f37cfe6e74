import { z } from "zod";

/**
 * The JSON Schema of what a client may send, generated from the zod schema that validates it (zod's input side), so
 * the API's description cannot drift from the validation. A step zod cannot describe (a transform) reads as « any ».
 */
export function fromZod(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...jsonSchema } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return jsonSchema;
}
