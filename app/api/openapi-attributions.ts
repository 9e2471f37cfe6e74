import { attributionBatchResultResponse, attributionPageResponse } from "~/lib/attribution-responses";
import { attributionBatchSchema, attributionFiltersSchema } from "~/lib/attribution-schemas";
import {
  errorResponse as error,
  fromZod,
  fromZodOutput,
  jsonBody,
  jsonResponse,
  outputResponse,
  queryParameters,
  ref,
} from "./openapi-helpers";

/** The attributions part of the OpenAPI document (issue 5, recording), spread into `openapi.ts`. */

export const attributionSchemas = {
  AttributionBatchResult: fromZodOutput(attributionBatchResultResponse),
  AttributionErrors: {
    type: "object",
    required: ["message", "errors"],
    properties: {
      message: { type: "string" },
      errorCount: { type: "integer" },
      errors: {
        type: "array",
        maxItems: 500,
        items: {
          type: "object",
          properties: {
            index: { type: "integer", description: "Rang dans la liste envoyée (à partir de 0)" },
            line: { type: "integer", description: "Ligne du fichier (import)" },
            column: { type: "string", description: "En-tête de la colonne (import)" },
            field: { type: "string" },
            message: { type: "string" },
          },
        },
      },
    },
  },
};

const created = {
  "200": jsonResponse(ref("AttributionBatchResult"), "Rien de nouveau : tout était déjà enregistré"),
  "201": jsonResponse(ref("AttributionBatchResult"), "Enregistré"),
  "400": jsonResponse(ref("AttributionErrors"), "Rien n'est enregistré : la liste des erreurs"),
  "401": error("Non authentifié"),
  "403": error("Seul un bailleur enregistre ses attributions"),
  "413": error("Envoi de plus de 20 Mo"),
};

export const attributionPaths = {
  "/attributions": {
    get: {
      summary:
        "Les attributions que l'appelant peut lire (bailleur : les siennes ; réservataire : son contingent)",
      parameters: queryParameters(attributionFiltersSchema),
      responses: {
        "200": outputResponse(
          attributionPageResponse,
          "Une page (100 lignes), du bail le plus récent au plus ancien",
        ),
        "400": error("Filtre invalide"),
        "401": error("Non authentifié"),
        "403": error("Pas d'accès aux attributions"),
      },
    },
    post: {
      summary:
        "Enregistrer un lot d'attributions, tout ou rien (idempotent sur bailleur, numéro unique, date du bail)",
      requestBody: jsonBody(fromZod(attributionBatchSchema)),
      responses: created,
    },
  },
  "/attributions/import": {
    post: {
      summary:
        "Importer un fichier du modèle (CSV « ; » ou « , », UTF-8 ou Windows-1252, ou XLSX), tout ou rien",
      requestBody: {
        required: true,
        content: {
          "text/csv": { schema: { type: "string" } },
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            schema: { type: "string", format: "binary" },
          },
        },
      },
      responses: created,
    },
  },
};
