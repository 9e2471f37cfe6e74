import { attributionPaths, attributionSchemas } from "./openapi-attributions";
import { conventionPaths, conventionSchemas } from "./openapi-conventions";
import { cyclePaths, cycleSchemas } from "./openapi-cycle";
import { errorResponse } from "./openapi-helpers";
import { programmePaths, programmeSchemas } from "./openapi-programmes";
import { reportPaths, reportSchemas } from "./openapi-reports";
import { cribPaths, signalementPaths, signalementSchemas } from "./openapi-signalements";

/** The OpenAPI description of /api/v1; each module adds its paths here. */

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Portail partenaires — gestion en flux des contingents (MEL)",
    version: "1.0.0",
    description:
      "API des partenaires de la gestion en flux. Authentification par jeton personnel (« Mon compte ») : " +
      "Authorization: Bearer <jeton>. Mêmes droits que dans le portail ; les erreurs portent un message en français.",
  },
  servers: [{ url: "/api/v1" }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: {
      bearer: {
        type: "http",
        scheme: "bearer",
        description:
          "Jeton personnel créé dans « Mon compte », avec une portée : « read » (lecture seule : toute écriture reçoit 403) ou « write » (lecture et écriture). Valable 90 jours par défaut, un an au plus ; révoqué par une réinitialisation du mot de passe ou un changement de rôles.",
      },
      cookie: {
        type: "apiKey",
        in: "cookie",
        name: "flux_session",
        description: "Avec X-CSRF-Token pour les écritures.",
      },
    },
    schemas: {
      Error: { type: "object", required: ["message"], properties: { message: { type: "string" } } },
      OrganisationKind: {
        type: "string",
        enum: ["metropole", "etat", "departement", "urh", "action_logement", "sicf", "bailleur", "commune"],
      },
      ...signalementSchemas,
      ...cycleSchemas,
      ...attributionSchemas,
      ...programmeSchemas,
      Role: { type: "string", enum: ["admin", "signataire", "gestionnaire", "lecteur"] },
      Organisation: {
        type: "object",
        required: ["id", "slug", "kind", "name", "inseeCode"],
        properties: {
          id: { type: "string", format: "uuid" },
          slug: { type: "string" },
          kind: { $ref: "#/components/schemas/OrganisationKind" },
          name: { type: "string" },
          inseeCode: { type: ["string", "null"] },
        },
      },
      ...conventionSchemas,
      ...reportSchemas,
    },
  },
  paths: {
    "/me": {
      get: {
        summary: "L'utilisateur authentifié et ses appartenances",
        responses: {
          "200": {
            description: "Utilisateur et organisations",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    user: {
                      type: "object",
                      properties: {
                        id: { type: "string" },
                        email: { type: "string" },
                        name: { type: "string" },
                      },
                    },
                    memberships: {
                      type: "array",
                      items: {
                        type: "object",
                        properties: {
                          organisation: {
                            type: "object",
                            properties: {
                              id: { type: "string" },
                              slug: { type: "string" },
                              kind: { $ref: "#/components/schemas/OrganisationKind" },
                              name: { type: "string" },
                            },
                          },
                          roles: { type: "array", items: { $ref: "#/components/schemas/Role" } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          "401": errorResponse("Non authentifié, ou jeton invalide ou révoqué"),
        },
      },
    },
    "/organisations": {
      get: {
        summary: "L'annuaire des organisations partenaires",
        responses: {
          "200": {
            description: "Toutes les organisations",
            content: {
              "application/json": {
                schema: { type: "array", items: { $ref: "#/components/schemas/Organisation" } },
              },
            },
          },
          "401": errorResponse("Non authentifié"),
        },
      },
    },
    "/qpv": {
      get: {
        summary: "Les quartiers prioritaires de la MEL (liste tenue par la MEL, décision 0025)",
        responses: {
          "200": {
            description: "Tous les quartiers, y compris ceux retirés de la liste (active = false)",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    quartiers: {
                      type: "array",
                      items: {
                        type: "object",
                        properties: {
                          code: { type: "string", pattern: "^[A-Z0-9]{6,12}$" },
                          name: { type: "string" },
                          communeInsee: { type: "string" },
                          communeName: { type: "string" },
                          active: { type: "boolean" },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          "401": errorResponse("Non authentifié"),
        },
      },
    },
    ...signalementPaths,
    ...cribPaths,
    ...cyclePaths,
    ...attributionPaths,
    ...programmePaths,
    ...conventionPaths,
    ...reportPaths,
  },
} as const;
