import { ATTRIBUTION_CONTINGENTS } from "~/domain/attribution";
import { CONSUMPTION_STATES, SMALL_COUNT_LABEL } from "~/domain/consumption";
import { consumptionQuerySchema, indicatorFiltersSchema } from "~/lib/report-schemas";
import { errorResponse as error, queryParameters, ref } from "./openapi-helpers";

/** The reports part of the OpenAPI document (issue 5), spread into `openapi.ts`. */
const party = {
  type: "object",
  properties: { id: { type: "string", format: "uuid" }, slug: { type: "string" }, name: { type: "string" } },
};
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
  ConsumptionRow: {
    type: "object",
    required: ["reservataire", "bailleur", "rights", "counted", "remaining", "projected", "priorityShare"],
    properties: {
      reservataire: { ...party, properties: { ...party.properties, kind: { type: "string" } } },
      bailleur: party,
      rights: { type: ["integer", "null"], description: "Droits de l'année ; null s'ils ne sont pas connus" },
      assietteVersion: {
        type: ["integer", "null"],
        description:
          "Version de l'assiette dont viennent les droits (celle du courrier, sinon la dernière publiée)",
      },
      provisional: {
        type: "boolean",
        description: "Vrai tant que l'avenant n'est pas accepté ou tacitement accepté",
      },
      counted: {
        ...maskedCount,
        description: "Attributions décomptées sur les droits (hors NPRU et mutations internes)",
      },
      remaining: { type: ["integer", "null"], description: "Droits − décomptées (négatif si dépassés)" },
      projected: {
        oneOf: [{ type: "integer" }, { type: "string", const: SMALL_COUNT_LABEL }, { type: "null" }],
        description:
          "Projection au 31 décembre au rythme actuel : décomptées ÷ jours écoulés × jours de l'année (heure de Paris)",
      },
      priorityShare: {
        type: ["number", "null"],
        description: "Part DALO-PDALHPD labellisés (0 à 1) ; pour l'État, hors contingent des agents",
      },
      subTargets: { type: "array", items: { type: "object" } },
      behind: { type: "boolean", description: "En retard : projection < droits, ou sous-objectif manqué" },
      state: {
        type: "string",
        enum: [...CONSUMPTION_STATES],
        description: "exceeded : décomptées > droits ; behind : en retard ; on_track : à jour",
      },
      reasons: {
        type: "array",
        items: { type: "string" },
        description: "Pour une commune, sans les chiffres que masque le secret statistique",
      },
    },
  },
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
