import { z } from "zod";

/**
 * The JSON Schema of what a client may send, generated from the zod schema that validates it (zod's input side), so
 * the API's description cannot drift from the validation. A step zod cannot describe (a transform) reads as « any ».
 */
export function fromZod(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...jsonSchema } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return jsonSchema;
}

/**
 * The JSON Schema of what the API answers, generated from the zod schema of the answer (zod's output side: objects
 * list every key they may hold, `additionalProperties: false`). An instant (`instant()`, a Date in the serialiser)
 * is written to JSON as an ISO 8601 string, and described so.
 */
export function fromZodOutput(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...jsonSchema } = z.toJSONSchema(schema, {
    io: "output",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema._zod.def.type === "date")
        Object.assign(jsonSchema, { type: "string", format: "date-time" });
    },
  });
  return jsonSchema;
}

/**
 * An instant in an answer: a Date where the serialiser builds it, an ISO 8601 string once in JSON. Coerced so that the
 * same schema checks the JSON the API sent (tests; `apiHandler`), where the round trip refuses any other string.
 */
export const instant = () => z.coerce.date<Date>();
