import { z } from "zod";
import { ORGANISATION_KINDS } from "#db/schema";
import { CONVENTION_KINDS, CONVENTION_STATUSES, MANAGEMENT_MODES } from "~/domain/convention";
import { financialAnnexSchema, publicsSchema } from "./convention-schemas";
import { instant } from "./json-schema";

/** What the API answers about conventions (issue 3): cadre and bilatérales (004 lines 60–806), described once. */

const party = z.object({ id: z.guid(), name: z.string().nullable() });
const art2Count = (description: string) => z.int().min(0).nullable().meta({ description });

// A convention answers what was signed: the same shapes as its input.
export const conventionResponse = z.object({
  id: z.guid(),
  kind: z.enum(CONVENTION_KINDS),
  title: z.string(),
  status: z.enum(CONVENTION_STATUSES).meta({
    description: "signed : signée par toutes les parties, figée (ne change plus que par avenant)",
  }),
  drafter: party,
  bailleur: party.nullable(),
  startYear: z.int(),
  endYear: z.int(),
  rateBp: z.int().nullable(),
  management: z.enum(MANAGEMENT_MODES).nullable(),
  publics: publicsSchema.nullable(),
  fluxVolume: art2Count("Art. 2 : flux d'attributions du bailleur la première année"),
  initialRights: art2Count("Art. 2 : attributions réservées au 1er janvier de la première année"),
  financialAnnex: financialAnnexSchema.nullable(),
  signedAt: instant().nullable(),
  signatures: z.array(
    z.object({
      organisation: party.extend({ kind: z.enum(ORGANISATION_KINDS) }),
      signedAt: instant().nullable(),
      signerName: z.string().nullable(),
    }),
  ),
});
export const conventionListResponse = z.array(conventionResponse);
