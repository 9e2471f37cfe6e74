import { ATTRIBUTION_CONTINGENTS, ELIGIBILITIES, TRANSFERS } from "~/domain/attribution";
import { CONSTRUCTION_PERIODS, FINANCINGS, TYPOLOGIES } from "~/domain/housing";
import { REHOUSINGS } from "~/domain/publics";
import { PUBLIC_CATEGORIES } from "~/domain/signalement";
import { attributionBatchSchema, attributionFiltersSchema } from "~/lib/attribution-schemas";
import {
  errorResponse as error,
  fromZod,
  jsonBody,
  jsonResponse,
  queryParameters,
  ref,
} from "./openapi-helpers";

/** The attributions part of the OpenAPI document (issue 5, recording), spread into `openapi.ts`. */

const flatAndHousehold = {
  numeroUnique: { type: "string", description: "Numéro unique SNE de la demande, ex. « 059 2401 00123 A »." },
  leaseDate: {
    type: "string",
    format: "date",
    description: "Date de signature du bail ; jamais dans le futur.",
  },
  communeInsee: { type: "string", description: "Code INSEE d'une commune de la MEL, ex. 59350." },
  qpv: { type: "boolean" },
  qpvCode: {
    type: ["string", "null"],
    pattern: "^[A-Z0-9]{6,12}$",
    description:
      "Code du quartier prioritaire (liste tenue par la MEL, GET /api/v1/qpv), dans la commune du logement ; implique qpv = true. Vide ou null : « quartier non renseigné ».",
  },
  typology: { type: "string", enum: [...TYPOLOGIES], description: "T6 = 6 pièces et plus" },
  financing: { type: "string", enum: [...FINANCINGS] },
  pmr: { type: "boolean" },
  firstLetting: { type: "boolean", description: "Première mise en location d'un programme neuf" },
  constructionPeriod: { type: "string", enum: [...CONSTRUCTION_PERIODS] },
  publicCategory: { type: "string", enum: [...PUBLIC_CATEGORIES] },
  transfer: { type: "string", enum: [...TRANSFERS] },
  incomeQuartile: { type: ["integer", "null"], minimum: 1, maximum: 4 },
  refusalsAfterCaleol: { type: "integer", minimum: 0, default: 0 },
  contingent: {
    type: "string",
    enum: [...ATTRIBUTION_CONTINGENTS],
    description:
      "Enregistré « none » pour un relogement NPRU, ORCOD, LHI, pour vente ou une mutation interne",
  },
  rehousing: {
    type: "string",
    enum: [...REHOUSINGS],
    default: "none",
    description: "Relogement hors flux (annexe 1, colonnes D à G) : ne consomme pas de droits",
  },
  eligibility: {
    type: ["string", "null"],
    enum: [...ELIGIBILITIES, null],
    description: "Sur les contingents d'Action Logement (salarié PEEC) et de la SICF (agent SNCF) seulement",
  },
};

export const attributionSchemas = {
  Attribution: {
    type: "object",
    properties: {
      id: { type: "string", format: "uuid" },
      ...flatAndHousehold,
      bailleur: { type: "object", properties: { slug: { type: "string" }, name: { type: "string" } } },
      reservataire: {
        type: ["object", "null"],
        properties: { slug: { type: "string" }, name: { type: "string" } },
        description: "L'organisation qui détient le contingent (la commune du logement pour « commune »)",
      },
      countsOnRights: {
        type: "boolean",
        description:
          "Faux hors flux (NPRU, ORCOD, LHI, vente, mutation interne), pour « none », et pour le second enregistrement d'un doublon",
      },
      duplicate: {
        type: "boolean",
        description:
          "Vrai tant que le même numéro unique avec la même date de bail est enregistré chez un autre bailleur (compté une fois)",
      },
    },
  },
  AttributionBatchResult: {
    type: "object",
    properties: {
      received: { type: "integer" },
      created: { type: "integer", description: "Attributions nouvelles" },
      alreadyKnown: {
        type: "integer",
        description: "Déjà enregistrées (même bailleur, numéro unique, date) : inchangées",
      },
    },
  },
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
        "200": jsonResponse(
          {
            type: "object",
            properties: {
              attributions: { type: "array", items: ref("Attribution") },
              nextCursor: { type: ["string", "null"] },
            },
          },
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
