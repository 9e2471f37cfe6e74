import { ANNEX_YEARS, CONVENTION_KINDS, CONVENTION_STATUSES, MANAGEMENT_MODES } from "~/domain/convention";
import { error, idParameter, json, ref } from "./openapi-cycle";

/** The conventions' part of the OpenAPI document (issue 3): cadre and bilatérales (004 lines 60–806). */
const year = { type: "integer", minimum: 2015, maximum: 2100 };
const pct = { type: "integer", minimum: 0, maximum: 100 };
const euros = { type: "integer", minimum: 0, description: "Euros" };
const party = {
  type: ["object", "null"],
  properties: { id: { type: "string" }, name: { type: ["string", "null"] } },
};

const publics = {
  type: "object",
  required: ["ciaTargetsPct", "daloPct", "mbcPct"],
  description:
    "En % du contingent : publics cibles de la CIA, dont DALO-PDALHPD et mutations bloquées/complexes labellisées ; le reste aux autres demandes. MEL : 50, ≥ 25, ≥ 15. Autres réservataires (sauf SICF) : DALO ≥ 25.",
  properties: { ciaTargetsPct: pct, daloPct: pct, mbcPct: pct },
};
const financialAnnex = {
  type: "object",
  required: ["years", "guaranteeRatePct", "subsidies"],
  description: "Annexe 2 du modèle, propre aux conventions de la MEL (obligatoire pour elle, refusée sinon).",
  properties: {
    years: {
      type: "array",
      minItems: ANNEX_YEARS.length,
      maxItems: ANNEX_YEARS.length,
      description: `Une ligne par année de ${ANNEX_YEARS[0]} à ${ANNEX_YEARS[ANNEX_YEARS.length - 1]}`,
      items: {
        type: "object",
        required: ["year", "expiredEur", "newGuaranteedEur"],
        properties: { year, expiredEur: euros, newGuaranteedEur: euros },
      },
    },
    guaranteeRatePct: pct,
    subsidies: {
      type: "object",
      description: "Montant payé ≤ montant total",
      properties: Object.fromEntries(
        ["plai", "plus"].map((k) => [k, { type: "object", properties: { totalEur: euros, paidEur: euros } }]),
      ),
    },
  },
};
const art2Count = (description: string) => ({ type: ["integer", "null"], minimum: 0, description });
const bilateralInput = {
  type: "object",
  required: ["kind", "bailleurId", "startYear", "endYear", "rateBp", "management", "publics"],
  properties: {
    kind: { const: "bilaterale" },
    bailleurId: { type: "string", format: "uuid" },
    startYear: year,
    endYear: year,
    rateBp: {
      type: "integer",
      description:
        "Taux total du réservataire en points de base (20 % = 2000 ; Action Logement : rétrocession de 1,3 % comprise). Refusé (422) s'il dépasse un plafond sur le bailleur une année de la période : 100 % pour tous les taux, 20 % pour les collectivités, 25 % pour Action Logement hors rétrocession, 25 % pour la SICF (sur ICF Habitat Nord-Est seulement) sauf convention SICF–ICF signée ; le Département seulement là où un avenant à la convention cadre l'a activé",
    },
    management: { type: "string", enum: [...MANAGEMENT_MODES] },
    publics,
    fluxVolume: art2Count("Art. 2 : flux d'attributions du bailleur la première année (facultatif)"),
    initialRights: art2Count(
      "Art. 2 : attributions réservées au 1er janvier de la première année, ≤ fluxVolume",
    ),
    financialAnnex,
  },
};

export const conventionSchemas = {
  Convention: {
    type: "object",
    properties: {
      id: { type: "string", format: "uuid" },
      kind: { type: "string", enum: [...CONVENTION_KINDS] },
      title: { type: "string" },
      status: {
        type: "string",
        enum: [...CONVENTION_STATUSES],
        description: "signed : signée par toutes les parties, figée (ne change plus que par avenant)",
      },
      drafter: party,
      bailleur: party,
      startYear: { type: "integer" },
      endYear: { type: "integer" },
      rateBp: { type: ["integer", "null"] },
      management: { type: ["string", "null"], enum: [...MANAGEMENT_MODES, null] },
      publics: { oneOf: [publics, { type: "null" }] },
      fluxVolume: art2Count("Art. 2 : flux d'attributions du bailleur la première année"),
      initialRights: art2Count("Art. 2 : attributions réservées au 1er janvier de la première année"),
      financialAnnex: { oneOf: [financialAnnex, { type: "null" }] },
      signedAt: { type: ["string", "null"], format: "date-time" },
      signatures: {
        type: "array",
        items: {
          type: "object",
          properties: {
            organisation: party,
            signedAt: { type: ["string", "null"], format: "date-time" },
            signerName: { type: ["string", "null"] },
          },
        },
      },
    },
  },
  ConventionBilateralInput: bilateralInput,
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
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: {
              oneOf: [
                ref("ConventionBilateralInput"),
                {
                  type: "object",
                  required: ["kind", "startYear", "endYear"],
                  properties: { kind: { const: "cadre" }, startYear: year, endYear: year },
                },
                {
                  type: "object",
                  description:
                    "MEL : avenant à la convention cadre activant le contingent du Département sur un bailleur (004 l.188–192), signé par les signataires de la convention cadre",
                  required: ["kind", "bailleurId", "startYear", "endYear"],
                  properties: {
                    kind: { const: "activation_departement" },
                    bailleurId: { type: "string", format: "uuid" },
                    startYear: year,
                    endYear: year,
                  },
                },
                {
                  type: "object",
                  description:
                    "MEL : part d'une commune garante prise sur les 20 % de la MEL chez un bailleur (004 l.178), signée par la commune, le bailleur et la MEL",
                  required: ["kind", "bailleurId", "communeId", "startYear", "endYear", "rateBp"],
                  properties: {
                    kind: { const: "part_communale" },
                    bailleurId: { type: "string", format: "uuid" },
                    communeId: { type: "string", format: "uuid" },
                    startYear: year,
                    endYear: year,
                    rateBp: { type: "integer", minimum: 1 },
                  },
                },
              ],
            },
          },
        },
      },
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
      requestBody: {
        required: true,
        content: { "application/json": { schema: ref("ConventionBilateralInput") } },
      },
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
