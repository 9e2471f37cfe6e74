import type { z } from "zod";
import {
  avenantYearSchema,
  contestSchema,
  maintainSchema,
  reviseSchema,
  yearQuerySchema,
} from "~/lib/avenant-validation";
import {
  assiettePublishedResponse,
  assietteResponse,
  assietteVersionsResponse,
  avenantResponse,
  avenantsGeneratedResponse,
  avenantsSentResponse,
  forecastStepResponse,
  forecastValidatedResponse,
  ownForecastResponse,
  rectifiedResponse,
  remindedResponse,
} from "~/lib/cycle-responses";
import {
  assiettePublishSchema,
  assietteQuerySchema,
  assietteRectifySchema,
  correctForecastBodySchema,
  forecastBodySchema,
  validateForecastBodySchema,
} from "~/lib/cycle-validation";
import {
  errorResponse as error,
  fromZod,
  fromZodOutput,
  idParameter,
  jsonResponse as json,
  jsonBody,
  outputResponse,
  queryParameters,
  ref,
  yearPathParameter as yearParameter,
} from "./openapi-helpers";

/** The yearly cycle's part of the OpenAPI document (issue 3): assiette, forecasts, avenants. */
export const cycleSchemas = {
  ForecastStep: fromZodOutput(forecastStepResponse),
  Assiette: fromZodOutput(assietteResponse),
  Avenant: fromZodOutput(avenantResponse),
};

const avenantStep = (summary: string, body?: z.ZodType) => ({
  post: {
    summary,
    parameters: [idParameter],
    ...(body ? { requestBody: jsonBody(fromZod(body)) } : {}),
    responses: {
      "200": json(ref("Avenant"), "Le courrier mis à jour"),
      "400": error("Corps invalide"),
      "403": error("Rôle ou partie ne permettant pas cette étape"),
      "404": error("Courrier inconnu ou d'une autre partie"),
      "409": error("Étape impossible dans l'état du courrier, ou « délai expiré le … »"),
    },
  },
});

export const cyclePaths = {
  "/assiettes/{year}": {
    get: {
      summary:
        "Tableau de l'annexe 1 d'une année (lignes visibles selon vos droits) et droits par contingent",
      parameters: [yearParameter, ...queryParameters(assietteQuerySchema)],
      responses: {
        "200": json(ref("Assiette"), "L'assiette"),
        "400": error("Version invalide"),
        "403": error("Les communes n'y ont pas accès"),
        "404": error("Année invalide, ou version inexistante"),
      },
    },
  },
  "/assiettes/{year}/versions": {
    get: {
      summary: "Versions publiées d'une assiette ; pour l'État, les changements du prochain rectificatif",
      parameters: [yearParameter],
      responses: {
        "200": outputResponse(assietteVersionsResponse, "Les versions"),
        "403": error("Les communes n'y ont pas accès"),
      },
    },
  },
  "/assiettes/{year}/rectify": {
    post: {
      summary: "Publier un rectificatif : la version suivante, avec son motif (services de l'État)",
      description:
        "Fige les prévisions tardives, corrections et taux signés depuis la dernière version ; informe chaque " +
        "partenaire ; les courriers dont les droits changent sont remplacés par un nouveau courrier (brouillon).",
      parameters: [yearParameter],
      requestBody: jsonBody(fromZod(assietteRectifySchema)),
      responses: {
        "200": outputResponse(rectifiedResponse, "Rectificatif publié"),
        "400": error("Motif manquant ou trop court"),
        "403": error("Réservé aux services de l'État"),
        "409": error("Assiette non publiée, ou rien n'a changé depuis la dernière version"),
      },
    },
  },
  // The État's steps on the forecasts, as the assiette page does them (issue 18: one step, page and API alike).
  "/assiettes/{year}/correct": {
    post: {
      summary: "Corriger les colonnes d'un bailleur (services de l'État)",
      description:
        "Après la publication, la correction entre dans le prochain rectificatif : réponse 202 avec pendingVersion.",
      parameters: [yearParameter],
      requestBody: jsonBody(fromZod(correctForecastBodySchema)),
      responses: {
        "200": json(ref("ForecastStep"), "Prévision corrigée"),
        "202": json(ref("ForecastStep"), "Assiette publiée : la correction entrera dans le rectificatif"),
        "400": error("Colonnes invalides (C + D + E + F + G > A…) ou bailleurId manquant"),
        "403": error("Réservé aux services de l'État"),
        "409": error("Le bailleur n'a pas encore saisi sa prévision"),
      },
    },
  },
  "/assiettes/{year}/validate": {
    post: {
      summary: "Valider une prévision transmise (services de l'État)",
      parameters: [yearParameter],
      requestBody: jsonBody(fromZod(validateForecastBodySchema)),
      responses: {
        "200": outputResponse(forecastValidatedResponse, "Prévision validée"),
        "400": error("forecastId manquant"),
        "403": error("Réservé aux services de l'État"),
        "404": error("Prévision inconnue pour cette année"),
        "409": error("Déjà validée, ou pas encore transmise"),
      },
    },
  },
  "/assiettes/{year}/remind": {
    post: {
      summary: "Relancer les bailleurs qui n'ont pas transmis leur prévision (services de l'État)",
      parameters: [yearParameter],
      responses: {
        "200": outputResponse(remindedResponse, "Relance envoyée"),
        "403": error("Réservé aux services de l'État"),
        "409": error("Assiette déjà publiée"),
      },
    },
  },
  "/assiettes/{year}/publish": {
    post: {
      summary: "Publier l'assiette (services de l'État)",
      parameters: [yearParameter],
      requestBody: jsonBody(fromZod(assiettePublishSchema), false),
      responses: {
        "200": outputResponse(assiettePublishedResponse, "Assiette publiée"),
        "400": error("Assiette incomplète sans confirmation, ou corps invalide"),
        "403": error("Réservé aux services de l'État"),
        "409": error("Déjà publiée"),
      },
    },
  },
  "/forecasts/{year}": {
    put: {
      summary: "Saisir et transmettre la prévision du bailleur (colonnes A à G)",
      parameters: [yearParameter],
      requestBody: jsonBody(fromZod(forecastBodySchema)),
      responses: {
        "200": outputResponse(ownForecastResponse, "La ligne du bailleur"),
        "202": outputResponse(
          ownForecastResponse,
          "Assiette déjà publiée : la prévision entrera dans le rectificatif (version pendingVersion)",
        ),
        "400": error("Nombres négatifs ou non entiers, C + D + E + F + G > A"),
        "403": error("Réservé au gestionnaire ou au signataire d'un bailleur"),
        "409": error("Prévision déjà transmise (seuls les services de l'État la corrigent)"),
      },
    },
  },
  "/avenants": {
    get: {
      summary: "Courriers valant avenant dont votre organisation est partie",
      parameters: queryParameters(yearQuerySchema),
      responses: {
        "200": json({ type: "array", items: ref("Avenant") }, "Les courriers"),
        "400": error("year n'est pas une année (quatre chiffres, 2015 à 2100)"),
        "403": error("Les communes et l'URH n'y ont pas accès"),
      },
    },
  },
  "/avenants/generate": {
    post: {
      summary: "Préparer les brouillons de l'année pour tous vos bailleurs (réservataire ; idempotent)",
      requestBody: jsonBody(fromZod(avenantYearSchema)),
      responses: {
        "200": outputResponse(avenantsGeneratedResponse, "Brouillons préparés"),
        "400": error("Corps invalide"),
        "403": error("Réservé aux gestionnaires et signataires d'un réservataire"),
        "409": error("Assiette non publiée"),
      },
    },
  },
  "/avenants/{id}/send": avenantStep(
    "Envoyer le courrier (signataire du réservataire) : le délai de deux mois commence",
  ),
  "/avenants/{id}/withdraw": avenantStep(
    "Retirer le courrier (signataire du réservataire) tant qu'il n'a pas de réponse : brouillon, envoyé dans son délai ou contesté",
  ),
  "/avenants/{id}/accept": avenantStep("Accepter le courrier (signataire du bailleur, avant l'échéance)"),
  "/avenants/{id}/contest": avenantStep(
    "Contester H, le taux ou les deux, avec un motif (signataire du bailleur, avant l'échéance)",
    contestSchema,
  ),
  "/avenants/{id}/revise": avenantStep(
    "Réviser la partie contestée avec une réponse écrite : le taux (signataire du réservataire, rateBp : nouveau courrier, nouveau délai) ou H (l'État : rectificatif de l'assiette)",
    reviseSchema,
  ),
  "/avenants/{id}/maintain": avenantStep(
    "Maintenir la partie contestée (l'État pour H, le signataire du réservataire pour le taux) ; la réponse est adressée au bailleur",
    maintainSchema,
  ),
  "/avenants/{id}": {
    get: {
      summary: "Un courrier : acceptation (qui, quand, comment) et fil de la contestation",
      parameters: [idParameter],
      responses: {
        "200": json(ref("Avenant"), "Le courrier"),
        "404": error("Courrier inconnu ou d'une autre organisation"),
      },
    },
  },
  "/avenants/send": {
    post: {
      summary:
        "Envoyer en une fois tous les brouillons de l'année de votre organisation (signataire du réservataire)",
      requestBody: jsonBody(fromZod(avenantYearSchema)),
      responses: {
        "200": outputResponse(
          avenantsSentResponse,
          "Nombre de courriers envoyés, et les refus avec leur motif",
        ),
        "400": error("Corps invalide"),
        "403": error("Réservé au signataire d'un réservataire"),
      },
    },
  },
};
