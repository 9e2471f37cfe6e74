import { conventionResponse } from "~/lib/convention-responses";
import { bilateralSchema, conventionInputSchema } from "~/lib/convention-schemas";
import {
  errorResponse as error,
  fromZod,
  fromZodOutput,
  idParameter,
  jsonResponse as json,
  jsonBody,
  ref,
} from "./openapi-helpers";

/** The conventions' part of the OpenAPI document (issue 3): cadre and bilatérales (004 lines 60–806). */
export const conventionSchemas = {
  Convention: fromZodOutput(conventionResponse),
  ConventionBilateralInput: fromZod(bilateralSchema),
};

export const conventionPaths = {
  "/conventions": {
    get: {
      summary: "La convention cadre et les conventions dont votre organisation est partie",
      responses: {
        "200": json({ type: "array", items: ref("Convention") }, "Les conventions"),
        "403": error("Réservé aux partenaires (une commune ne voit que ses parts communales)"),
      },
    },
    post: {
      summary:
        "Établir une convention bilatérale (réservataire) ou enregistrer la convention cadre (MEL, kind « cadre »)",
      requestBody: jsonBody(fromZod(conventionInputSchema)),
      responses: {
        "201": json(ref("Convention"), "La convention, en projet ; les autres parties sont informées"),
        "400": error("Champs invalides (errors par champ : taux, publics, annexe financière…)"),
        "403": error("Réservé aux réservataires (la convention cadre : à la MEL)"),
        "409": error("Une convention existe déjà pour cette période et ces parties"),
        "422": error(
          "Un plafond serait dépassé (le message nomme la somme et les taux), ou le contingent du Département n'est pas activé",
        ),
      },
    },
  },
  "/conventions/{id}": {
    get: {
      summary: "Une convention",
      parameters: [idParameter],
      responses: {
        "200": json(ref("Convention"), "La convention"),
        "404": error("Convention inconnue ou dont votre organisation n'est pas partie"),
      },
    },
    patch: {
      summary: "Modifier une convention bilatérale que personne n'a encore signée (son rédacteur)",
      parameters: [idParameter],
      requestBody: jsonBody(ref("ConventionBilateralInput")),
      responses: {
        "200": json(ref("Convention"), "La convention modifiée"),
        "400": error("Champs invalides"),
        "403": error("Seul le réservataire rédacteur la modifie"),
        "404": error("Convention inconnue ou d'autres parties"),
        "409": error("Convention en cours de signature ou signée : elle ne change plus que par avenant"),
        "422": error("Un plafond serait dépassé : le message nomme la somme et les taux"),
      },
    },
  },
  "/conventions/{id}/sign": {
    post: {
      summary: "Signer au nom de votre organisation (son signataire)",
      parameters: [idParameter],
      responses: {
        "200": json(ref("Convention"), "La convention, signée et figée quand toutes les parties ont signé"),
        "403": error("Seul le signataire d'une partie signe"),
        "404": error("Convention inconnue ou d'autres parties"),
        "422": error(
          "Les taux signés depuis le projet feraient dépasser un plafond : la signature est refusée (somme et taux nommés)",
        ),
        "409": error("Votre organisation a déjà signé"),
      },
    },
  },
};
