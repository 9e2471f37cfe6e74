import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { apiTokens, invitations, ROLES, type Role } from "#db/schema";
import { csrfToken } from "~/lib/csrf.server";
import { createInvitation } from "~/models/invitations.server";
import { action as accountAction } from "~/routes/_app.compte";
import {
  action as membersAction,
  loader as membersLoader,
} from "~/routes/_app.organisations.$organisationId.membres";
import { loader as meLoader } from "~/routes/api.v1.me";
import { actorOf, BASE_URL, createSession, createToken, createUser, type TestUser } from "./helpers/fixtures";
import { seededRandom } from "./helpers/seeded-random";

/**
 * A randomised probe: members of many organisations, with random roles, try other organisations' members pages,
 * invitations and API tokens. Nothing of another organisation may be read or changed, and a foreign id answers 404
 * exactly like a missing one. The seed is printed so that a failure can be replayed.
 */
const { seed: SEED, pick } = seededRandom("PROBE_SEED", "probe");

const SLUGS = [
  "mel",
  "etat",
  "urh",
  "sicf",
  "vilogia",
  "partenord-habitat",
  "commune-59350",
  "commune-59512",
];

type Member = TestUser & {
  sessionId: string;
  cookie: string;
  csrf: string;
  token: { id: string; token: string };
};
const members: Member[] = [];
const invitationOf = new Map<string, string>();

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    const result = await promise;
    if (result instanceof Response) return result.status;
    return (result as { init?: { status?: number } } | null)?.init?.status ?? 200;
  } catch (error) {
    if (error instanceof Response) return error.status;
    throw error;
  }
}

function post(member: Member, path: string, fields: Record<string, string>): Request {
  const body = new URLSearchParams({ ...fields, csrf: member.csrf });
  return new Request(`${BASE_URL}${path}`, {
    method: "POST",
    body,
    headers: { cookie: member.cookie, "content-type": "application/x-www-form-urlencoded" },
  });
}

beforeAll(async () => {
  for (const slug of SLUGS) {
    const admin = await createUser(slug, ["admin"]);
    const invitation = await createInvitation(await actorOf(admin), {
      organisationId: admin.organisationId,
      email: `invite@${slug}.test`,
      roles: ["lecteur"],
      baseUrl: BASE_URL,
    });
    invitationOf.set(admin.organisationId, invitation.id);
    for (const roles of [["admin"], [pick(ROLES)], [pick(ROLES), pick(ROLES)]] as Role[][]) {
      const user =
        roles[0] === "admin" && members.every((m) => m.id !== admin.id)
          ? admin
          : await createUser(slug, roles);
      const session = await createSession(user);
      const { token, setCookie } = await csrfToken(new Request(BASE_URL), session.id);
      const cookie = `flux_session=${session.id}; ${setCookie!.split(";")[0]}`;
      members.push({ ...user, sessionId: session.id, cookie, csrf: token, token: await createToken(user) });
    }
  }
});

describe("randomised probe across organisations", () => {
  it("never shows or changes another organisation's members, invitations or another user's tokens", async () => {
    for (let round = 0; round < 120; round++) {
      const member = pick(members);
      const target = pick(members);
      const sameOrganisation = member.organisationId === target.organisationId;
      const melAdmin = member.organisationSlug === "mel" && member.roles.includes("admin");
      const path = `/organisations/${target.organisationId}/membres`;
      const context = `seed ${SEED}, round ${round}: ${member.email} → ${target.organisationSlug}`;

      const read = await status(
        membersLoader({
          request: new Request(`${BASE_URL}${path}`, { headers: { cookie: member.cookie } }),
          params: { organisationId: target.organisationId },
          context: {},
        }),
      );
      expect(read, context).toBe(sameOrganisation || melAdmin ? 200 : 404);

      // Revoking the target organisation's pending invitation through the member's own organisation page.
      const invitationId = invitationOf.get(target.organisationId)!;
      if (!sameOrganisation) {
        const revoke = await status(
          membersAction({
            request: post(member, `/organisations/${member.organisationId}/membres`, {
              intent: "revoke-invitation",
              invitationId,
            }),
            params: { organisationId: member.organisationId },
            context: {},
          }),
        );
        expect(revoke, context).toBe(404);
        const [invitation] = await db.select().from(invitations).where(eq(invitations.id, invitationId));
        expect(invitation!.revokedAt, context).toBeNull();
      }

      // Revoking someone else's API token.
      if (member.id !== target.id) {
        const revoke = await status(
          accountAction({
            request: post(member, "/compte", { intent: "revoke-token", tokenId: target.token.id }),
            params: {},
            context: {},
          }),
        );
        expect(revoke, context).toBe(404);
        const [token] = await db.select().from(apiTokens).where(eq(apiTokens.id, target.token.id));
        expect(token!.revokedAt, context).toBeNull();
      }

      // A token acts only for its owner and organisation.
      const me = await meLoader({
        request: new Request(`${BASE_URL}/api/v1/me`, {
          headers: { authorization: `Bearer ${target.token.token}` },
        }),
        params: {},
        context: {},
      });
      const body = (await me.json()) as {
        user: { id: string };
        memberships: Array<{ organisation: { id: string } }>;
      };
      expect(body.user.id, context).toBe(target.id);
      expect(
        body.memberships.map((m) => m.organisation.id),
        context,
      ).toEqual([target.organisationId]);
    }
  });
});
