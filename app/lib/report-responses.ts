import { z } from "zod";
import { ATTRIBUTION_CONTINGENTS } from "~/domain/attribution";
import { CONSUMPTION_STATES, SMALL_COUNT_LABEL } from "~/domain/consumption";

/** What the API answers about the reports (issue 5): the JSON the models build, described once. */

const party = z.object({ id: z.guid(), slug: z.string(), name: z.string() });
const maskedCount = z
  .union([z.int(), z.literal(SMALL_COUNT_LABEL)])
  .meta({ description: `Pour une commune, les effectifs inférieurs à 5 valent « ${SMALL_COUNT_LABEL} ».` });
const masked = (description: string) => maskedCount.meta({ description });

export const consumptionRowResponse = z.object({
  reservataire: party.extend({ kind: z.string() }),
  bailleur: party,
  rights: z.int().nullable().meta({ description: "Droits de l'année ; null s'ils ne sont pas connus" }),
  assietteVersion: z.int().nullable().meta({
    description:
      "Version de l'assiette dont viennent les droits (celle du courrier, sinon la dernière publiée)",
  }),
  provisional: z
    .boolean()
    .meta({ description: "Vrai tant que l'avenant n'est pas accepté ou tacitement accepté" }),
  counted: masked("Attributions décomptées sur les droits (hors NPRU et mutations internes)"),
  remaining: z.int().nullable().meta({ description: "Droits − décomptées (négatif si dépassés)" }),
  projected: maskedCount.nullable().meta({
    description:
      "Projection au 31 décembre au rythme actuel : décomptées ÷ jours écoulés × jours de l'année (heure de Paris)",
  }),
  priorityShare: z.number().nullable().meta({
    description: "Part DALO-PDALHPD labellisés (0 à 1) ; pour l'État, hors contingent des agents",
  }),
  subTargets: z.array(
    z.object({
      key: z.enum(["priority", "ciaTargets", "mbc", "stateAgents"]),
      label: z.string(),
      count: masked("Les ménages derrière la part (masqués pour une commune sous 5)"),
      share: z
        .number()
        .nullable()
        .meta({ description: "Part atteinte (0 à 1), null tant que rien n'est décompté" }),
      bound: z.enum(["min", "max"]),
      threshold: z.number(),
      met: z.boolean().nullable().meta({ description: "Null tant que la part n'est pas évaluée" }),
    }),
  ),
  behind: z.boolean().meta({ description: "En retard : projection < droits, ou sous-objectif manqué" }),
  state: z.enum(CONSUMPTION_STATES).meta({
    description: "exceeded : décomptées > droits ; behind : en retard ; on_track : à jour",
  }),
  reasons: z.array(z.string()).meta({
    description: "Pour une commune, sans les chiffres que masque le secret statistique",
  }),
});
export const consumptionReportResponse = z.array(consumptionRowResponse);

const figures = {
  total: maskedCount,
  t4plus: maskedCount,
  plai: maskedCount,
  pmr: maskedCount,
  firstLetting: masked("Attributions en première mise en location (offre nouvelle)"),
  refusals: masked("Refus du ménage après le courrier de décision de la CALEOL"),
};
const share = z.number().nullable();

export const indicatorReportResponse = z.object({
  year: z.int(),
  filters: z
    .object({
      year: z.int(),
      bailleur: z.guid().optional(),
      reservataire: z.guid().optional(),
      commune: z.string().optional(),
      qpv: z.boolean().optional(),
    })
    .meta({ description: "Les filtres appliqués (l'année par défaut : l'année en cours)" }),
  assiette: z.object({ version: z.int(), versionLabel: z.string() }).nullable().meta({
    description:
      "Version de l'assiette de référence dont viennent les contingents (la dernière publiée) ; null avant la publication",
  }),
  byContingent: z.array(
    z.object({
      contingent: z.enum(ATTRIBUTION_CONTINGENTS),
      ciaTarget: z.boolean().meta({ description: "Publics cibles de la CIA (vrai) ou autres demandes" }),
      ...figures,
    }),
  ),
  byCommune: z.array(
    z.object({ communeInsee: z.string(), communeName: z.string(), ciaTargets: maskedCount, ...figures }),
  ),
  metropolitan: z
    .object({
      averagePerCommune: z.number().nullable(),
      shares: z.object({ ciaTargets: share, t4plus: share, plai: share, pmr: share, firstLetting: share }),
      refusalsPerAttribution: share,
    })
    .nullable()
    .meta({
      description: "Pour une commune seulement : parts et moyenne par commune sur toute la métropole",
    }),
});
