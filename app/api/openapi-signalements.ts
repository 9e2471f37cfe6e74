import { TYPOLOGIES } from "~/domain/housing";
import { PUBLIC_CATEGORIES, SIGNALEMENT_STATUSES, URGENCIES } from "~/domain/signalement";
import { cribAnswerSchema, cribCaseSchema, cribFollowSchema, cribSessionSchema } from "~/lib/crib-schemas";
import {
  signalementEventSchema,
  signalementFiltersSchema,
  signalementSchema,
} from "~/lib/signalement-schemas";
import { SIGNALEMENT_PAGE_SIZE } from "~/models/signalements.server";
import {
  errorResponse as error,
  fromZod,
  idParameter,
  jsonBody,
  queryParameters,
  ref,
} from "./openapi-helpers";

/** The signalements part of the OpenAPI document (issue 4), spread into `openapi.ts`. */

/** What the list and the detail both give. */
const summaryProperties = {
  id: { type: "string", format: "uuid" },
  communeId: { type: "string", format: "uuid" },
  communeName: { type: "string" },
  numeroUnique: { type: ["string", "null"], description: "Null une fois anonymisé" },
  typology: { type: "string", enum: [...TYPOLOGIES] },
  publicCategory: ref("PublicCategory"),
  urgency: { type: "string", enum: [...URGENCIES] },
  status: ref("SignalementStatus"),
  createdAt: { type: "string", format: "date-time" },
  acknowledgedAt: { type: ["string", "null"], format: "date-time" },
  closedAt: { type: ["string", "null"], format: "date-time" },
  followedElsewhere: {
    type: "boolean",
    description: "MEL seulement : une autre organisation suivait déjà ce numéro unique à la création.",
  },
  bailleurs: {
    type: "array",
    items: {
      type: "object",
      properties: {
        slug: { type: "string" },
        name: { type: "string" },
        acknowledgedAt: { type: ["string", "null"], format: "date-time" },
      },
    },
  },
} as const;

export const signalementSchemas = {
  SignalementStatus: { type: "string", enum: [...SIGNALEMENT_STATUSES] },
  PublicCategory: { type: "string", enum: [...PUBLIC_CATEGORIES] },
  SignalementInput: fromZod(signalementSchema),
  SignalementSummary: {
    type: "object",
    description:
      "Ce qu'une liste montre d'un signalement : ni la composition du ménage, ni ses souhaits, ni le motif",
    properties: summaryProperties,
  },
  Signalement: {
    type: "object",
    properties: {
      ...summaryProperties,
      adults: { type: "integer" },
      children: { type: "integer" },
      communesWanted: { type: "array", items: { type: "string" } },
      incomeQuartile: { type: ["integer", "null"] },
      reason: { type: ["string", "null"] },
      anonymisedAt: { type: ["string", "null"], format: "date-time" },
    },
  },
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
        "201": {
          description: "Signalement envoyé",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: { id: { type: "string" }, status: ref("SignalementStatus") },
              },
            },
          },
        },
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
        "201": {
          description: "Étape enregistrée ; le statut du signalement devient celui de l'étape",
          content: {
            "application/json": {
              schema: { type: "object", properties: { status: ref("SignalementStatus") } },
            },
          },
        },
        "400": error("Précisions manquantes pour cette étape"),
        "403": error("Lecture seule"),
        "404": error("Introuvable, ou pas accessible à votre organisation"),
        "409": error("Passage de statut impossible"),
      },
    },
  },
} as const;

const cribAnswer = {
  type: "object",
  properties: {
    bailleurName: { type: "string" },
    hasSolution: { type: "boolean" },
    flatCommune: { type: ["string", "null"] },
    flatTypology: { type: ["string", "null"] },
    answeredAt: { type: "string", format: "date-time" },
  },
};

/** The CRIB list endpoints (issue 4): MEL keeps the list, bailleurs answer, the URH follows each case. */
export const cribPaths = {
  "/crib/sessions": {
    get: {
      summary: "Les sessions de la CRIB (URH et bailleurs : les listes publiées ; la MEL : toutes)",
      responses: {
        "200": {
          description: "Sessions, de la plus récente à la plus ancienne",
          content: {
            "application/json": {
              schema: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    id: { type: "string", format: "uuid" },
                    heldOn: { type: "string", format: "date" },
                    publishedAt: { type: ["string", "null"], format: "date-time" },
                    cases: { type: "integer" },
                  },
                },
              },
            },
          },
        },
        "403": error("Organisation sans accès à la liste de la CRIB"),
      },
    },
    post: {
      summary: "La MEL ouvre la liste d'une session de la CRIB",
      requestBody: jsonBody(fromZod(cribSessionSchema)),
      responses: {
        "201": { description: "Session créée" },
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
        "200": {
          description: "La liste",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  session: { type: "object" },
                  cases: {
                    type: "array",
                    items: {
                      type: "object",
                      properties: {
                        id: { type: "string", format: "uuid" },
                        numeroUnique: { type: ["string", "null"], description: "Null une fois anonymisé" },
                        originName: { type: "string" },
                        typology: { type: "string", enum: [...TYPOLOGIES] },
                        communesWanted: { type: "array", items: { type: "string" } },
                        status: { type: "string", enum: ["open", "rehoused", "closed"] },
                        pilotName: { type: ["string", "null"] },
                        answers: { type: "array", items: cribAnswer },
                      },
                    },
                  },
                },
              },
            },
          },
        },
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
        "201": { description: "Cas ajouté" },
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
      responses: { "200": { description: "Publiée" }, "409": error("Déjà publiée") },
    },
  },
  "/crib/sessions/{id}/reminders": {
    post: {
      summary:
        "La MEL ou l'URH relance les bailleurs qui n'ont pas répondu à chaque cas en cours (une fois par jour au plus)",
      parameters: [idParameter],
      responses: {
        "200": { description: "Bailleurs relancés (`reminded` : leurs noms)" },
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
        "200": { description: "Réponse enregistrée (elle remplace la précédente)" },
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
        "200": { description: "Cas mis à jour" },
        "400": error("Bailleur inconnu, ou rien à changer"),
        "403": error("Réservé à l'URH (et à la MEL)"),
        "409": error("Cas déjà terminé"),
      },
    },
  },
} as const;
