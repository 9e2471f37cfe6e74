import type { z } from "zod";
import {
  AVENANT_CONTEST_PARTS,
  AVENANT_MESSAGE_KINDS,
  AVENANT_STATUSES,
  FORECAST_STATUSES,
} from "#db/schema";
import {
  avenantYearSchema,
  contestSchema,
  maintainSchema,
  reviseSchema,
  yearQuerySchema,
} from "~/lib/avenant-validation";
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
  idParameter,
  jsonResponse as json,
  jsonBody,
  queryParameters,
  ref,
  yearPathParameter as yearParameter,
} from "./openapi-helpers";

/** The yearly cycle's part of the OpenAPI document (issue 3): assiette, forecasts, avenants. */
const count = { type: "integer", minimum: 0 };
const right = {
  type: "object",
  properties: {
    rateBp: { type: "integer", description: "Taux en points de base (1 % = 100)" },
    exact: { type: ["number", "null"], description: "taux × H" },
    rounded: {
      type: ["integer", "null"],
      description: "Arrondi à l'unité la plus proche, une demie vers le haut",
    },
  },
};

const bailleurSchema = {
  type: "object",
  properties: { id: { type: "string" }, slug: { type: "string" }, name: { type: "string" } },
};

export const cycleSchemas = {
  ForecastStep: {
    type: "object",
    description: "Une prévision corrigée par l'État",
    properties: {
      forecastId: { type: "string", format: "uuid" },
      bailleurId: { type: "string", format: "uuid" },
      status: { type: "string", enum: [...FORECAST_STATUSES] },
      forecast: ref("Forecast"),
      pendingVersion: { type: ["integer", "null"] },
      message: { type: ["string", "null"] },
    },
  },
  Forecast: {
    type: "object",
    required: ["a", "b", "c", "d", "e", "f", "g"],
    description:
      "Colonnes A à G de l'annexe 1 (nombres entiers d'attributions) ; C + D + E + F + G ≤ A, B ≤ A.",
    properties: { a: count, b: count, c: count, d: count, e: count, f: count, g: count },
  },
  ReservataireRight: {
    type: "object",
    properties: {
      rateBp: { type: "integer", description: "Taux de l'année en points de base (1 % = 100)" },
      exact: { type: ["number", "null"], description: "taux × H" },
      rounded: {
        type: ["integer", "null"],
        description: "Le droit, selon roundingRule ; null pour un brouillon",
      },
      source: {
        type: "object",
        description:
          "Le document d'où vient le taux : la convention cadre, une convention signée des deux parties, ou un taux saisi avant (legacy)",
        properties: {
          type: { type: "string", enum: ["cadre", "convention", "legacy"] },
          conventionId: { type: ["string", "null"], format: "uuid" },
          title: { type: "string" },
        },
      },
    },
  },
  AssietteRow: {
    type: "object",
    properties: {
      bailleur: bailleurSchema,
      forecastId: { type: ["string", "null"] },
      status: { type: "string", enum: [...FORECAST_STATUSES, "missing"] },
      submittedAt: { type: ["string", "null"], format: "date-time" },
      forecast: { oneOf: [ref("Forecast"), { type: "null" }] },
      h: { type: ["integer", "null"], description: "H = A − C − D − E − F − G" },
      remainder: {
        type: ["integer", "null"],
        description:
          "H moins tous les droits : le contingent propre du bailleur (null sans prévision transmise)",
      },
      reservataires: {
        type: "object",
        description:
          "Par réservataire (etat, action_logement, sicf, metropole, departement) : son droit, arrondi une fois sur son taux total (Action Logement : rétrocession comprise), et le document d'où vient le taux",
        additionalProperties: ref("ReservataireRight"),
      },
      communes: {
        type: "array",
        description: "Parts des communes garantes, prises sur les 20 % de la MEL (004 l.178)",
        items: {
          allOf: [
            ref("ReservataireRight"),
            { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } },
          ],
        },
      },
      rights: {
        type: "object",
        description:
          "Par contingent : etat, action_logement_retrocession, action_logement, sicf, mel, departement",
        additionalProperties: right,
      },
    },
  },
  Assiette: {
    type: "object",
    properties: {
      year: { type: "integer" },
      published: { type: "boolean" },
      version: {
        type: ["integer", "null"],
        description: "Version dont viennent les chiffres (null avant la publication : prévisions en cours)",
      },
      publishedAt: {
        type: ["string", "null"],
        format: "date-time",
        description: "Publication de cette version",
      },
      reason: { type: ["string", "null"], description: "Motif du rectificatif (null pour la version 1)" },
      versionLabel: {
        type: ["string", "null"],
        example: "assiette de référence 2026, version 2 (rectificatif du 12 mars 2026)",
      },
      latestVersion: { type: ["integer", "null"] },
      roundingRule: { type: "string" },
      submitted: { type: "integer", description: "État, MEL, URH seulement : prévisions transmises" },
      total: { type: "integer", description: "État, MEL, URH seulement : nombre de bailleurs" },
      rows: { type: "array", items: ref("AssietteRow") },
    },
  },
  Avenant: {
    type: "object",
    required: ["id", "year", "status", "sentAt", "deadline", "rights"],
    properties: {
      id: { type: "string", format: "uuid" },
      year: { type: "integer" },
      reservataire: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } },
      bailleur: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } },
      status: { type: "string", enum: [...AVENANT_STATUSES] },
      rateBp: { type: "integer" },
      fluxH: { type: "integer" },
      rights: {
        type: "object",
        properties: { exact: { type: "number" }, rounded: { type: "integer" } },
      },
      sentAt: { type: ["string", "null"], format: "date-time" },
      deadline: {
        type: ["object", "null"],
        description:
          "Fin du délai de deux mois : lastDay (jour calendaire à Paris) et endsAt (instant exclusif, minuit suivant)",
        properties: {
          lastDay: { type: "string", format: "date" },
          endsAt: { type: "string", format: "date-time" },
          label: { type: "string", example: "samedi 30 janvier 2027 à 24 h (heure de Paris)" },
        },
      },
      answeredAt: { type: ["string", "null"], format: "date-time" },
      acceptance: {
        type: ["string", "null"],
        enum: ["explicit", "tacit", null],
        description: "explicit : accepté par le signataire du bailleur ; tacit : sans réaction dans le délai",
      },
      acceptedAt: {
        type: ["string", "null"],
        format: "date-time",
        description:
          "Instant de l'acceptation ; tacite : la fin du délai (deadline.endsAt), quel que soit le passage du traitement",
      },
      acceptedBy: {
        type: ["object", "null"],
        description: "Acceptation explicite : le signataire et son organisation",
        properties: { user: ref("Named"), organisation: ref("Named") },
      },
      contestReason: { type: ["string", "null"] },
      dispute: ref("AvenantDispute"),
      version: { type: "integer" },
      assietteVersion: {
        type: "integer",
        description: "Version de l'assiette dont viennent H et les droits",
      },
      replacedBy: {
        type: ["string", "null"],
        format: "uuid",
        description: "Courrier qui remplace celui-ci après un rectificatif (statut replaced)",
      },
    },
  },
  AssietteVersion: {
    type: "object",
    properties: {
      version: { type: "integer" },
      publishedAt: { type: "string", format: "date-time" },
      reason: { type: ["string", "null"] },
      label: { type: "string" },
    },
  },
  AssietteChange: {
    type: "object",
    description: "Une ligne que la version suivante ajoute (prévision tardive) ou modifie",
    properties: {
      bailleur: bailleurSchema,
      kind: { type: "string", enum: ["added", "changed"] },
      columns: {
        type: "array",
        items: {
          type: "object",
          properties: {
            column: { type: "string", description: "a à g, h, ou rate:<contingent>" },
            before: { type: ["integer", "null"] },
            after: { type: "integer" },
          },
        },
      },
    },
  },
  Named: { type: "object", properties: { id: { type: "string", format: "uuid" }, name: { type: "string" } } },
  AvenantDispute: {
    type: "object",
    description:
      "Contestation : H (l'assiette, à laquelle l'État répond), rate (le taux, auquel le réservataire répond) ou both",
    properties: {
      contested: { type: "array", items: { type: "string", enum: ["h", "rate"] } },
      pending: {
        type: "array",
        items: { type: "string", enum: ["h", "rate"] },
        description: "Parties sans réponse",
      },
      awaitingRectificatif: {
        type: "boolean",
        description: "L'État corrige H : un rectificatif de l'assiette remplacera ce courrier",
      },
      thread: {
        type: "array",
        items: {
          type: "object",
          properties: {
            kind: { type: "string", enum: [...AVENANT_MESSAGE_KINDS] },
            part: { type: "string", enum: [...AVENANT_CONTEST_PARTS] },
            text: { type: "string" },
            rateBp: { type: ["integer", "null"] },
            letterVersion: { type: "integer" },
            at: { type: "string", format: "date-time" },
            author: ref("Named"),
            organisation: ref("Named"),
          },
        },
      },
    },
  },
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
        "200": json(
          {
            type: "object",
            properties: {
              year: { type: "integer" },
              versions: { type: "array", items: ref("AssietteVersion") },
              pending: {
                type: ["object", "null"],
                description: "Services de l'État seulement (null avant la publication)",
                properties: {
                  version: { type: "integer" },
                  changes: { type: "array", items: ref("AssietteChange") },
                },
              },
            },
          },
          "Les versions",
        ),
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
        "200": json(
          {
            allOf: [
              ref("AssietteVersion"),
              {
                type: "object",
                properties: {
                  changes: { type: "array", items: ref("AssietteChange") },
                  replacedLetters: {
                    type: "array",
                    items: {
                      type: "object",
                      properties: { from: { type: "string" }, to: { type: "string" } },
                    },
                  },
                },
              },
            ],
          },
          "Rectificatif publié",
        ),
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
        "200": json(
          { type: "object", properties: { forecastId: { type: "string" }, status: { const: "validated" } } },
          "Prévision validée",
        ),
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
        "200": json(
          {
            type: "object",
            properties: {
              bailleurs: { type: "integer", description: "Bailleurs relancés" },
              mails: { type: "integer", description: "Courriels envoyés" },
            },
          },
          "Relance envoyée",
        ),
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
        "200": json({ type: "object" }, "Assiette publiée"),
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
        "200": json(ref("AssietteRow"), "La ligne du bailleur"),
        "202": json(
          {
            allOf: [
              ref("AssietteRow"),
              {
                type: "object",
                properties: {
                  pendingVersion: { type: "integer", example: 2 },
                  message: { type: "string" },
                },
              },
            ],
          },
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
        "200": json(
          {
            type: "object",
            properties: {
              created: { type: "integer" },
              existing: { type: "integer" },
              avenants: { type: "array", items: ref("Avenant") },
            },
          },
          "Brouillons préparés",
        ),
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
        "200": json(
          {
            type: "object",
            properties: {
              sent: { type: "integer" },
              refused: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    id: { type: "string" },
                    bailleur: { type: "string" },
                    reason: { type: "string" },
                  },
                },
              },
            },
          },
          "Nombre de courriers envoyés, et les refus avec leur motif",
        ),
        "400": error("Corps invalide"),
        "403": error("Réservé au signataire d'un réservataire"),
      },
    },
  },
};
