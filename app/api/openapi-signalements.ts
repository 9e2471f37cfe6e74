import { cribAnswerSchema, cribCaseSchema, cribFollowSchema, cribSessionSchema } from "~/lib/crib-schemas";
import {
  createdResponse,
  cribAnsweredResponse,
  cribPublishedResponse,
  cribRemindedResponse,
  cribSessionListResponse,
  cribSessionResponse,
  cribUpdatedResponse,
  signalementCreatedResponse,
  signalementResponse,
  signalementStepResponse,
  signalementSummaryResponse,
} from "~/lib/signalement-responses";
import {
  signalementEventSchema,
  signalementFiltersSchema,
  signalementSchema,
} from "~/lib/signalement-schemas";
import { SIGNALEMENT_PAGE_SIZE } from "~/models/signalements.server";
import {
  errorResponse as error,
  fromZod,
  fromZodOutput,
  idParameter,
  jsonBody,
  outputResponse,
  queryParameters,
  ref,
} from "./openapi-helpers";

/** The signalements part of the OpenAPI document (issue 4), spread into `openapi.ts`. */

export const signalementSchemas = {
  SignalementInput: fromZod(signalementSchema),
  SignalementSummary: fromZodOutput(signalementSummaryResponse),
  Signalement: fromZodOutput(signalementResponse),
  SignalementEventInput: fromZod(signalementEventSchema),
} as const;

export const signalementPaths = {
  "/signalements": {
    get: {
      summary:
        "Les signalements visibles : ceux de sa commune, ceux adressés à son organisation (bailleur), tous pour la MEL",
      parameters: queryParameters(signalementFiltersSchema),
      responses: {
        "200": {
          description:
            `${SIGNALEMENT_PAGE_SIZE} signalements au plus, du plus récent au plus ancien ; une page pleine donne la suivante dans ` +
            'l\'en-tête `Link: <…>; rel="next"`',
          content: { "application/json": { schema: { type: "array", items: ref("SignalementSummary") } } },
        },
        "400": error("Filtre invalide"),
        "401": error("Non authentifié"),
        "403": error("Organisation sans accès aux signalements"),
      },
    },
    post: {
      summary: "Une commune signale un ménage à un ou plusieurs bailleurs (gestionnaire ou administrateur)",
      requestBody: jsonBody(ref("SignalementInput")),
      responses: {
        "201": outputResponse(signalementCreatedResponse, "Signalement envoyé"),
        "400": error(
          "Champ invalide (numéro unique mal formé, bailleur inconnu ou absent…), `errors` par champ",
        ),
        "403": error("Réservé aux gestionnaires et administrateurs d'une commune"),
        "409": error("Un signalement ouvert existe déjà pour ce numéro unique dans la commune"),
      },
    },
  },
  "/signalements/{id}": {
    get: {
      summary:
        "Le détail d'un signalement, son historique et ses commentaires (chaque lecture est journalisée)",
      parameters: [idParameter],
      responses: {
        "200": {
          description: "Le signalement",
          content: { "application/json": { schema: ref("Signalement") } },
        },
        "404": error("Introuvable, ou pas accessible à votre organisation"),
      },
    },
  },
  "/signalements/{id}/events": {
    post: {
      summary:
        "Une étape du suivi : le bailleur destinataire accuse réception et saisit le suivi ; la commune clôt ou retire",
      parameters: [idParameter],
      requestBody: jsonBody(ref("SignalementEventInput")),
      responses: {
        "201": outputResponse(
          signalementStepResponse,
          "Étape enregistrée ; le statut du signalement devient celui de l'étape",
        ),
        "400": error("Précisions manquantes pour cette étape"),
        "403": error("Lecture seule"),
        "404": error("Introuvable, ou pas accessible à votre organisation"),
        "409": error("Passage de statut impossible"),
      },
    },
  },
} as const;

/** The CRIB list endpoints (issue 4): MEL keeps the list, bailleurs answer, the URH follows each case. */
export const cribPaths = {
  "/crib/sessions": {
    get: {
      summary: "Les sessions de la CRIB (URH et bailleurs : les listes publiées ; la MEL : toutes)",
      responses: {
        "200": outputResponse(cribSessionListResponse, "Sessions, de la plus récente à la plus ancienne"),
        "403": error("Organisation sans accès à la liste de la CRIB"),
      },
    },
    post: {
      summary: "La MEL ouvre la liste d'une session de la CRIB",
      requestBody: jsonBody(fromZod(cribSessionSchema)),
      responses: {
        "201": outputResponse(createdResponse, "Session créée"),
        "403": error("Réservé à la MEL"),
        "409": error("Une session existe déjà à cette date"),
      },
    },
  },
  "/crib/sessions/{id}": {
    get: {
      summary:
        "Les cas d'une session et les réponses visibles (URH, MEL : toutes ; un bailleur : les siennes)",
      parameters: [idParameter],
      responses: {
        "200": outputResponse(cribSessionResponse, "La liste"),
        "404": error("Introuvable, ou pas encore publiée"),
      },
    },
  },
  "/crib/sessions/{id}/cases": {
    post: {
      summary: "La MEL ajoute un cas (mutation bloquée ou complexe labellisée) à la liste",
      parameters: [idParameter],
      requestBody: jsonBody(fromZod(cribCaseSchema)),
      responses: {
        "201": outputResponse(createdResponse, "Cas ajouté"),
        "400": error("Champ invalide"),
        "403": error("Réservé à la MEL"),
        "409": error("Numéro unique déjà dans la liste"),
      },
    },
  },
  "/crib/sessions/{id}/publish": {
    post: {
      summary: "La MEL publie la liste à l'URH et aux bailleurs (courriel à leurs gestionnaires)",
      parameters: [idParameter],
      responses: {
        "200": outputResponse(cribPublishedResponse, "Publiée"),
        "409": error("Déjà publiée"),
      },
    },
  },
  "/crib/sessions/{id}/reminders": {
    post: {
      summary:
        "La MEL ou l'URH relance les bailleurs qui n'ont pas répondu à chaque cas en cours (une fois par jour au plus)",
      parameters: [idParameter],
      responses: {
        "200": outputResponse(cribRemindedResponse, "Bailleurs relancés"),
        "403": error("Réservé à la MEL et à l'URH"),
        "409": error("Liste non publiée, tous ont répondu, ou déjà relancés aujourd'hui"),
      },
    },
  },
  "/crib/cases/{id}/answers": {
    post: {
      summary: "Un bailleur répond à un cas : une solution possible (commune, typologie) ou aucune",
      parameters: [idParameter],
      requestBody: jsonBody(fromZod(cribAnswerSchema)),
      responses: {
        "200": outputResponse(cribAnsweredResponse, "Réponse enregistrée (elle remplace la précédente)"),
        "400": error("Solution sans commune ou typologie"),
        "403": error("Réservé aux gestionnaires et administrateurs des bailleurs"),
        "404": error("Introuvable, ou liste non publiée"),
        "409": error("Cas terminé"),
      },
    },
  },
  "/crib/cases/{id}/follow-up": {
    post: {
      summary: "L'URH désigne le bailleur pilote et/ou enregistre l'issue du cas (relogé, clos)",
      parameters: [idParameter],
      requestBody: jsonBody(fromZod(cribFollowSchema)),
      responses: {
        "200": outputResponse(cribUpdatedResponse, "Cas mis à jour"),
        "400": error("Bailleur inconnu, ou rien à changer"),
        "403": error("Réservé à l'URH (et à la MEL)"),
        "409": error("Cas déjà terminé"),
      },
    },
  },
} as const;
