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
