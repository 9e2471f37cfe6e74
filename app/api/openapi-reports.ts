import { ATTRIBUTION_CONTINGENTS } from "~/domain/attribution";
import { SMALL_COUNT_LABEL } from "~/domain/consumption";
import { consumptionRowResponse } from "~/lib/report-responses";
import { consumptionQuerySchema, indicatorFiltersSchema } from "~/lib/report-schemas";
import { errorResponse as error, fromZodOutput, queryParameters, ref } from "./openapi-helpers";

/** The reports part of the OpenAPI document (issue 5), spread into `openapi.ts`. */
const maskedCount = {
  oneOf: [{ type: "integer" }, { type: "string", const: SMALL_COUNT_LABEL }],
  description: `Pour une commune, les effectifs inférieurs à 5 valent « ${SMALL_COUNT_LABEL} ».`,
};
const figures = {
  total: maskedCount,
  t4plus: maskedCount,
  plai: maskedCount,
  pmr: maskedCount,
  firstLetting: { ...maskedCount, description: "Attributions en première mise en location (offre nouvelle)" },
  refusals: { ...maskedCount, description: "Refus du ménage après le courrier de décision de la CALEOL" },
};

export const reportSchemas = {
  ConsumptionRow: fromZodOutput(consumptionRowResponse),
  IndicatorReport: {
    type: "object",
    properties: {
      year: { type: "integer" },
      assiette: {
        type: ["object", "null"],
        description:
          "Version de l'assiette de référence dont viennent les contingents (la dernière publiée) ; null avant la publication",
        properties: { version: { type: "integer" }, versionLabel: { type: "string" } },
      },
      byContingent: {
        type: "array",
        items: {
          type: "object",
          properties: {
            contingent: { type: "string", enum: [...ATTRIBUTION_CONTINGENTS] },
            ciaTarget: { type: "boolean", description: "Publics cibles de la CIA (vrai) ou autres demandes" },
            ...figures,
          },
        },
      },
      byCommune: {
        type: "array",
        items: {
          type: "object",
          properties: {
            communeInsee: { type: "string" },
            communeName: { type: "string" },
            ciaTargets: maskedCount,
            ...figures,
          },
        },
      },
      metropolitan: {
        type: ["object", "null"],
        description: "Pour une commune seulement : parts et moyenne par commune sur toute la métropole",
      },
    },
  },
} as const;

export const reportPaths = {
  "/reports/consumption": {
    get: {
      summary:
        "Consommation des droits par réservataire × bailleur : son contingent (réservataire), son flux (bailleur), tout (MEL, État, Département, URH)",
      parameters: queryParameters(consumptionQuerySchema),
      responses: {
        "200": {
          description: "Une ligne par réservataire × bailleur",
          content: { "application/json": { schema: { type: "array", items: ref("ConsumptionRow") } } },
        },
        "400": error("Année ou filtre invalide"),
        "401": error("Non authentifié"),
      },
    },
  },
  "/reports/indicators": {
    get: {
      summary:
        "Indicateurs de suivi (convention cadre, art. 11) par contingent × (cibles CIA | autres) et par commune",
      parameters: queryParameters(indicatorFiltersSchema),
      responses: {
        "200": {
          description: "Indicateurs de l'année",
          content: { "application/json": { schema: ref("IndicatorReport") } },
        },
        "400": error("Filtre invalide, `errors` par champ"),
        "401": error("Non authentifié"),
      },
    },
  },
} as const;
