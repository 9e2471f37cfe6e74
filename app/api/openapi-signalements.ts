import {
  CALEOL_DECISIONS,
  CLOSURE_REASONS,
  PUBLIC_CATEGORIES,
  SIGNALEMENT_STATUSES,
  TYPOLOGIES,
  URGENCIES,
} from "~/domain/signalement";
import { SIGNALEMENT_PAGE_SIZE } from "~/models/signalements.server";

/** The signalements part of the OpenAPI document (issue 4), spread into `openapi.ts`. */
const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const idParameter = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };

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
  SignalementInput: {
    type: "object",
    required: [
      "numeroUnique",
      "adults",
      "children",
      "typology",
      "communesWanted",
      "publicCategory",
      "reason",
      "bailleurSlugs",
    ],
    properties: {
      numeroUnique: {
        type: "string",
        description:
          "Numéro unique SNE (espaces, points et tirets ignorés) : département sur 3 caractères, année et mois (AAMM), numéro d'ordre de 5 à 8 chiffres, clé de 1 à 3 caractères, ex. « 059 2401 00123 A ».",
      },
      adults: { type: "integer", minimum: 1, maximum: 20 },
      children: { type: "integer", minimum: 0, maximum: 20 },
      typology: { type: "string", enum: [...TYPOLOGIES] },
      communesWanted: {
        type: "array",
        minItems: 1,
        items: { type: "string", description: "Code INSEE d'une commune de la MEL" },
      },
      publicCategory: ref("PublicCategory"),
      incomeQuartile: { type: ["integer", "null"], minimum: 1, maximum: 4 },
      urgency: { type: "string", enum: [...URGENCIES], default: "normal" },
      reason: {
        type: "string",
        maxLength: 500,
        description: "Motif court. N'y écrivez aucune donnée de santé ni autre donnée sensible.",
      },
      bailleurSlugs: {
        type: "array",
        minItems: 1,
        items: { type: "string" },
        description: "Bailleurs destinataires",
      },
    },
  },
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
  SignalementEventInput: {
    type: "object",
    required: ["type"],
    properties: {
      type: ref("SignalementStatus"),
      note: { type: "string", maxLength: 500 },
      caleolDate: { type: "string", format: "date", description: "presented_caleol" },
      flatCommune: { type: "string", description: "presented_caleol : code INSEE de la commune du logement" },
      flatTypology: { type: "string", enum: [...TYPOLOGIES], description: "presented_caleol" },
      decision: { type: "string", enum: [...CALEOL_DECISIONS], description: "caleol_decision" },
      signedOn: { type: "string", format: "date", description: "lease_signed" },
      reason: { type: "string", maxLength: 500, description: "refused_by_household, not_retained" },
      closure: {
        type: "string",
        enum: [...CLOSURE_REASONS],
        description: "closed ; withdrawn_by_commune par la commune seulement",
      },
    },
  },
} as const;

export const signalementPaths = {
  "/signalements": {
    get: {
      summary:
        "Les signalements visibles : ceux de sa commune, ceux adressés à son organisation (bailleur), tous pour la MEL",
      parameters: [
        { name: "status", in: "query", schema: ref("SignalementStatus") },
        { name: "numeroUnique", in: "query", schema: { type: "string" } },
        {
          name: "commune",
          in: "query",
          description: "Code INSEE de la commune qui signale",
          schema: { type: "string" },
        },
        {
          name: "bailleur",
          in: "query",
          description: "Identifiant (slug) d'un bailleur destinataire",
          schema: { type: "string" },
        },
        { name: "publicCategory", in: "query", schema: { type: "string" } },
        {
          name: "urgency",
          in: "query",
          schema: { type: "string", enum: ["normal", "urgent", "very_urgent"] },
        },
        {
          name: "from",
          in: "query",
          description: "Envoyé à partir de ce jour (AAAA-MM-JJ, heure de Paris)",
          schema: { type: "string", format: "date" },
        },
        {
          name: "to",
          in: "query",
          description: "Envoyé jusqu'à ce jour inclus",
          schema: { type: "string", format: "date" },
        },
        {
          name: "after",
          in: "query",
          description: "Curseur : l'id du dernier signalement de la page précédente (voir l'en-tête Link)",
          schema: { type: "string", format: "uuid" },
        },
      ],
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
      requestBody: { required: true, content: { "application/json": { schema: ref("SignalementInput") } } },
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
      requestBody: {
        required: true,
        content: { "application/json": { schema: ref("SignalementEventInput") } },
      },
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

const sessionIdParameter = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", format: "uuid" },
};
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
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["heldOn"],
              properties: { heldOn: { type: "string", format: "date" } },
            },
          },
        },
      },
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
      parameters: [sessionIdParameter],
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
      parameters: [sessionIdParameter],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["numeroUnique", "originBailleurSlug", "typology", "communesWanted"],
              properties: {
                numeroUnique: { type: "string" },
                originBailleurSlug: { type: "string" },
                typology: { type: "string", enum: [...TYPOLOGIES] },
                communesWanted: { type: "array", items: { type: "string" } },
              },
            },
          },
        },
      },
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
      parameters: [sessionIdParameter],
      responses: { "200": { description: "Publiée" }, "409": error("Déjà publiée") },
    },
  },
  "/crib/sessions/{id}/reminders": {
    post: {
      summary:
        "La MEL ou l'URH relance les bailleurs qui n'ont pas répondu à chaque cas en cours (une fois par jour au plus)",
      parameters: [sessionIdParameter],
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
      parameters: [sessionIdParameter],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["hasSolution"],
              properties: {
                hasSolution: { type: "boolean" },
                flatCommune: { type: "string", description: "Code INSEE, si solution" },
                flatTypology: { type: "string", enum: [...TYPOLOGIES] },
                note: { type: "string", maxLength: 2000 },
              },
            },
          },
        },
      },
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
      parameters: [sessionIdParameter],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              type: "object",
              properties: {
                pilotBailleurSlug: { type: "string" },
                status: { type: "string", enum: ["rehoused", "closed"] },
                notes: {
                  type: "string",
                  maxLength: 2000,
                  description: "Notes de suivi (remplacent les précédentes)",
                },
              },
            },
          },
        },
      },
      responses: {
        "200": { description: "Cas mis à jour" },
        "400": error("Bailleur inconnu, ou rien à changer"),
        "403": error("Réservé à l'URH (et à la MEL)"),
        "409": error("Cas déjà terminé"),
      },
    },
  },
} as const;
