import { consumptionRowResponse, indicatorReportResponse } from "~/lib/report-responses";
import { consumptionQuerySchema, indicatorFiltersSchema } from "~/lib/report-schemas";
import { errorResponse as error, fromZodOutput, queryParameters, ref } from "./openapi-helpers";

/** The reports part of the OpenAPI document (issue 5), spread into `openapi.ts`. */
export const reportSchemas = {
  ConsumptionRow: fromZodOutput(consumptionRowResponse),
  IndicatorReport: fromZodOutput(indicatorReportResponse),
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
