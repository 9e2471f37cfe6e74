import { z } from "zod";
import { ORGANISATION_KINDS, ROLES } from "#db/schema";

/** What the API answers about the caller and the partner organisations (`/me`, `/organisations`, `/qpv`). */

export const organisationKindSchema = z.enum(ORGANISATION_KINDS);

export const meResponse = z.object({
  user: z.object({ id: z.guid(), email: z.string(), name: z.string() }),
  memberships: z.array(
    z.object({
      organisation: z.object({
        id: z.guid(),
        slug: z.string(),
        kind: organisationKindSchema,
        name: z.string(),
      }),
      roles: z.array(z.enum(ROLES)),
    }),
  ),
});

export const organisationResponse = z.object({
  id: z.guid(),
  slug: z.string(),
  kind: organisationKindSchema,
  name: z.string(),
  inseeCode: z.string().nullable(),
});
export const organisationsResponse = z.array(organisationResponse);

export const qpvListResponse = z.object({
  quartiers: z.array(
    z.object({
      code: z.string().regex(/^[A-Z0-9]{6,12}$/),
      name: z.string(),
      communeInsee: z.string(),
      communeName: z.string(),
      active: z.boolean(),
    }),
  ),
});
