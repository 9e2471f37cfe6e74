import { meResponse, organisationsResponse, qpvListResponse } from "~/lib/organisation-responses";
import { attributionPaths, attributionSchemas } from "./openapi-attributions";
import { conventionPaths, conventionSchemas } from "./openapi-conventions";
import { cyclePaths, cycleSchemas } from "./openapi-cycle";
import { errorResponse, outputResponse } from "./openapi-helpers";
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
      ...signalementSchemas,
      ...cycleSchemas,
      ...attributionSchemas,
      ...programmeSchemas,
      ...conventionSchemas,
      ...reportSchemas,
    },
  },
  paths: {
    "/me": {
      get: {
        summary: "L'utilisateur authentifié et ses appartenances",
        responses: {
          "200": outputResponse(meResponse, "Utilisateur et organisations"),
          "401": errorResponse("Non authentifié, ou jeton invalide ou révoqué"),
        },
      },
    },
    "/organisations": {
      get: {
        summary: "L'annuaire des organisations partenaires",
        responses: {
          "200": outputResponse(organisationsResponse, "Toutes les organisations"),
          "401": errorResponse("Non authentifié"),
        },
      },
    },
    "/qpv": {
      get: {
        summary: "Les quartiers prioritaires de la MEL (liste tenue par la MEL, décision 0025)",
        responses: {
          "200": outputResponse(
            qpvListResponse,
            "Tous les quartiers, y compris ceux retirés de la liste (active = false)",
          ),
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
