import {
  calendarItemResponse,
  comiteCreatedResponse,
  comiteListResponse,
  comiteResponse,
  comiteStepResponse,
  deliveriesAnsweredResponse,
  deliveriesResponse,
  deliveryCampaignResponse,
  deliveryCampaignSentResponse,
  documentAttachedResponse,
  minutesRecordedResponse,
  programmeCreatedResponse,
  programmeDeclaredResponse,
  programmeListResponse,
  programmeResponse,
  recommendationRecordedResponse,
  splitRecordedResponse,
} from "~/lib/programme-responses";
import {
  comiteActionSchema,
  comiteSchema,
  deliveryPeriodSchema,
  minutesSchema,
  programmeListQuerySchema,
  programmeSchema,
  recommendationSchema,
  splitSchema,
} from "~/lib/programme-schemas";
import { consumptionFiltersSchema } from "~/lib/report-schemas";
import { PROGRAMME_PAGE_SIZE } from "~/models/programmes.server";
import {
  errorResponse,
  fromZod,
  fromZodOutput,
  idParameter,
  jsonBody,
  jsonResponse,
  outputResponse,
  queryParameters,
  ref,
} from "./openapi-helpers";

/** Programmes, deliveries campaign, comité de suivi and calendar (issue 6), spread into `openapi.ts`. */
const refused = {
  "400": errorResponse("Entrée invalide (message en français, rien n'est modifié)"),
  "403": errorResponse("Rôle insuffisant"),
  "404": errorResponse("Introuvable ou hors de votre périmètre"),
};

export const programmeSchemas = {
  ProgrammeInput: fromZod(programmeSchema),
  CalendarItem: fromZodOutput(calendarItemResponse),
  ComiteInput: fromZod(comiteSchema),
};

export const programmePaths = {
  "/programmes": {
    get: {
      summary:
        "Programmes visibles : la MEL tous ; un bailleur les siens ; un réservataire ceux des bailleurs où il a un contingent ; une commune ceux de son territoire",
      parameters: queryParameters(programmeListQuerySchema),
      responses: {
        "200": {
          ...outputResponse(programmeListResponse, "Programmes"),
          description:
            `${PROGRAMME_PAGE_SIZE} programmes au plus, par date de première mise en location ; une page pleine donne la ` +
            'suivante dans l\'en-tête `Link: <…>; rel="next"`',
        },
      },
    },
    post: {
      summary: "Un bailleur déclare un programme (3 à 4 mois avant la première mise en location)",
      requestBody: jsonBody(ref("ProgrammeInput")),
      responses: {
        "201": outputResponse(programmeCreatedResponse, "Déclaré (lateDeclaration : moins de 3 mois avant)"),
        ...refused,
      },
    },
  },
  "/programmes/{id}": {
    get: {
      summary: "Logements, répartition proposée et arrêtée, préconisations visibles",
      parameters: [idParameter],
      responses: { "200": outputResponse(programmeResponse, "Programme"), "404": refused["404"] },
    },
  },
  "/programmes/{id}/declare": {
    post: {
      summary: "Le bailleur déclare un programme annoncé",
      parameters: [idParameter],
      responses: {
        "200": outputResponse(programmeDeclaredResponse, "Déclaré"),
        "409": errorResponse("Déjà déclaré"),
        ...refused,
      },
    },
  },
  "/programmes/{id}/split": {
    put: {
      summary:
        "Le bailleur arrête la répartition : chaque sorte de logement répartie exactement, aucun logement à un réservataire sans contingent sur ce bailleur",
      parameters: [idParameter],
      requestBody: jsonBody(fromZod(splitSchema)),
      responses: { "200": outputResponse(splitRecordedResponse, "Répartition arrêtée"), ...refused },
    },
  },
  "/programmes/{id}/recommendations": {
    post: {
      summary: "Un réservataire concerné émet ses préconisations (la dernière remplace la précédente)",
      parameters: [idParameter],
      requestBody: jsonBody(fromZod(recommendationSchema)),
      responses: { "201": outputResponse(recommendationRecordedResponse, "Enregistrées"), ...refused },
    },
  },
  "/programmes/deliveries": {
    get: {
      summary:
        "Livraisons consolidées au semestre (half=1 : 1er janvier–30 juin ; half=2 : 1er juillet–31 décembre) ou à l'année (half omis)",
      parameters: queryParameters(deliveryPeriodSchema),
      responses: {
        "200": outputResponse(deliveriesResponse, "Totaux par commune, bailleur, financement et typologie"),
        "400": refused["400"],
      },
    },
  },
  "/delivery-updates": {
    get: {
      summary: "Campagne en cours (mai ou novembre) : bailleurs sollicités et réponses",
      responses: { "200": outputResponse(deliveryCampaignResponse, "Suivi") },
    },
    post: {
      summary: "La MEL demande à chaque bailleur pas encore sollicité de mettre à jour ses livraisons",
      responses: {
        "200": outputResponse(deliveryCampaignSentResponse, "Envoyée"),
        "403": refused["403"],
      },
    },
  },
  "/delivery-updates/answer": {
    post: {
      summary: "Le bailleur confirme que ses livraisons à venir sont à jour",
      responses: {
        "200": outputResponse(deliveriesAnsweredResponse, "Réponse enregistrée"),
        "409": errorResponse("Aucune demande en attente"),
      },
    },
  },
  "/comites": {
    get: {
      summary:
        "Réunions du comité de suivi où l'organisation est invitée (communes : reporting publié) : heldOn (jour), heldAt (date et heure de début, ou null)",
      responses: { "200": outputResponse(comiteListResponse, "Réunions") },
    },
    post: {
      summary:
        "La MEL planifie une réunion (membres : réservataires et URH ; bailleurs selon l'ordre du jour)",
      requestBody: jsonBody(ref("ComiteInput")),
      responses: { "201": outputResponse(comiteCreatedResponse, "Planifiée"), ...refused },
    },
  },
  "/comites/{id}": {
    get: {
      summary: "Réunion, invités, compte rendu, décisions, documents",
      parameters: [idParameter],
      responses: { "200": outputResponse(comiteResponse, "Réunion"), "404": refused["404"] },
    },
    post: {
      summary: "action « convene » : envoie la convocation ; « publish » : publie le reporting aux communes",
      parameters: [idParameter],
      requestBody: jsonBody(fromZod(comiteActionSchema)),
      responses: {
        "200": outputResponse(comiteStepResponse, "Fait"),
        "409": errorResponse("Déjà fait ou compte rendu manquant"),
        ...refused,
      },
    },
    put: {
      summary: "Consigne le compte rendu et les décisions",
      parameters: [idParameter],
      requestBody: jsonBody(fromZod(minutesSchema)),
      responses: { "200": outputResponse(minutesRecordedResponse, "Enregistré"), ...refused },
    },
  },
  "/comites/{id}/documents": {
    post: {
      summary: "Joint un document (PDF, XLSX, CSV, ODS, DOCX ; 20 Mo au plus ; contenu vérifié)",
      parameters: [idParameter],
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              required: ["file"],
              properties: { file: { type: "string", format: "binary" } },
            },
          },
        },
      },
      responses: {
        "201": outputResponse(documentAttachedResponse, "Joint"),
        "413": errorResponse("Plus de 20 Mo"),
        ...refused,
      },
    },
  },
  "/calendar": {
    get: {
      summary:
        "Obligations de l'organisation pour l'année (?year=, l'année en cours par défaut) : prévision, assiette, réponses aux avenants, bilans, demandes de livraisons (MEL, deliveries_request) et réponses (bailleurs, deliveries_update), programmes, comité et ses séances. Le même calendrier existe en flux iCalendar personnel à l'adresse secrète /calendrier/flux/<jeton>.ics (créée sur la page Calendrier).",
      parameters: queryParameters(consumptionFiltersSchema),
      responses: { "200": jsonResponse({ type: "array", items: ref("CalendarItem") }, "Calendrier") },
    },
  },
};
