import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { ROLES, type Role, signalementEvents, signalements } from "#db/schema";
import { action as createAction, loader as listLoader } from "~/routes/api.v1.signalements";
import { loader as detailLoader } from "~/routes/api.v1.signalements.$id";
import { action as eventAction } from "~/routes/api.v1.signalements.$id.events";
import { createToken, createUser, requestWithBearer, type TestUser } from "./helpers/fixtures";
import { seededRandom } from "./helpers/seeded-random";

/**
 * A randomised probe over the signalements API: members of many organisations, with random roles, try every
 * signalement id (detail, search by numéro unique, a follow-up step). A signalement is seen only by its commune,
 * the bailleurs it is addressed to and the MEL; anyone else gets exactly the 404 of a missing id and changes
 * nothing. The seed is printed so that a failure can be replayed.
 */
const { seed: SEED, random, pick } = seededRandom("PROBE_SEED", "signalements probe");

const COMMUNES = ["commune-59350", "commune-59512", "commune-59009"];
const BAILLEURS = ["vilogia", "partenord-habitat", "lille-metropole-habitat"];
const OTHERS = ["mel", "etat", "urh", "action-logement"];

type Member = TestUser & { token: string };
type Created = { id: string; numeroUnique: string; communeId: string; partyIds: string[] };
const members: Member[] = [];
const created: Created[] = [];

async function answer(response: Promise<Response>) {
  const r = await response;
  return { status: r.status, text: await r.text() };
}
const args = (member: Member, path: string, init: RequestInit = {}, params: Record<string, string> = {}) =>
  ({ request: requestWithBearer(member.token, `/api/v1${path}`, init), params, context: {} }) as never;

beforeAll(async () => {
  for (const slug of [...COMMUNES, ...BAILLEURS, ...OTHERS]) {
    for (const roles of [["gestionnaire"], [pick(ROLES)], [pick(ROLES), pick(ROLES)]] as Role[][]) {
      const user = await createUser(slug, roles);
      members.push({ ...user, token: (await createToken(user)).token });
    }
  }
  let n = 0;
  for (const slug of COMMUNES) {
    const author = members.find((m) => m.organisationSlug === slug && m.roles.includes("gestionnaire"))!;
    for (let i = 0; i < 3; i++) {
      const chosen = BAILLEURS.filter(() => random() < 0.5);
      const bailleurSlugs = chosen.length ? chosen : [pick(BAILLEURS)];
      n += 1;
      const numeroUnique = `0592501${String(10_000 + n).padStart(5, "0")}P`;
      const response = await createAction(
        args(author, "/signalements", {
          method: "POST",
          body: JSON.stringify({
            numeroUnique,
            adults: 1,
            children: 0,
            typology: "T2",
            communesWanted: ["59350"],
            publicCategory: pick(["dalo_labellise", "npru", "autre"] as const),
            urgency: "normal",
            reason: "Logement indigne.",
            bailleurSlugs,
          }),
        }),
      );
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as { id: string };
      const addressed = members
        .filter((m) => bailleurSlugs.includes(m.organisationSlug))
        .map((m) => m.organisationId);
      created.push({
        id,
        numeroUnique,
        communeId: author.organisationId,
        partyIds: [author.organisationId, ...addressed],
      });
    }
  }
});

describe("randomised probe over the signalements API", () => {
  it("never shows, finds or changes a signalement outside its commune, addressed bailleurs and the MEL", async () => {
    const missing = "00000000-0000-4000-8000-00000000dead";
    const notFound = await answer(
      detailLoader(args(members[0]!, `/signalements/${missing}`, {}, { id: missing })),
    );
    expect(notFound.status).toBe(404);

    for (let round = 0; round < 120; round++) {
      const member = pick(members);
      const target = pick(created);
      const mayRead = member.organisationSlug === "mel" || target.partyIds.includes(member.organisationId);
      const context = `seed ${SEED}, round ${round}: ${member.email} (${member.roles}) → ${target.id}`;

      const read = await answer(
        detailLoader(args(member, `/signalements/${target.id}`, {}, { id: target.id })),
      );
      expect(read.status, context).toBe(mayRead ? 200 : 404);
      if (!mayRead) expect(read.text, context).toBe(notFound.text);

      const search = await answer(
        listLoader(args(member, `/signalements?numeroUnique=${target.numeroUnique}`)),
      );
      if (search.status === 200) {
        const ids = (JSON.parse(search.text) as Array<{ id: string }>).map((r) => r.id);
        expect(ids, context).toEqual(mayRead ? [target.id] : []);
      } else {
        expect(search.status, context).toBe(403);
        expect(mayRead, context).toBe(false);
      }

      // Nothing foreign in a whole list either.
      const all = await answer(listLoader(args(member, "/signalements")));
      if (all.status === 200) {
        const rows = JSON.parse(all.text) as Array<{ id: string; numeroUnique: string }>;
        for (const row of rows) {
          const c = created.find((x) => x.id === row.id)!;
          expect(
            member.organisationSlug === "mel" || c.partyIds.includes(member.organisationId),
            context,
          ).toBe(true);
        }
        for (const other of created.filter(
          (c) => member.organisationSlug !== "mel" && !c.partyIds.includes(member.organisationId),
        ))
          expect(all.text, context).not.toContain(other.numeroUnique);
      }

      if (!mayRead) {
        const [before] = await db.select().from(signalements).where(eq(signalements.id, target.id));
        const historyBefore = await db
          .select()
          .from(signalementEvents)
          .where(eq(signalementEvents.signalementId, target.id));
        const step = await answer(
          eventAction(
            args(
              member,
              `/signalements/${target.id}/events`,
              {
                method: "POST",
                body: JSON.stringify({
                  type: pick(["acknowledged", "closed"] as const),
                  closure: "withdrawn_by_commune",
                }),
              },
              { id: target.id },
            ),
          ),
        );
        expect(step.status, context).toBe(404);
        expect(step.text, context).toBe(notFound.text);
        const [after] = await db.select().from(signalements).where(eq(signalements.id, target.id));
        expect(after, context).toEqual(before);
        const historyAfter = await db
          .select()
          .from(signalementEvents)
          .where(eq(signalementEvents.signalementId, target.id));
        expect(historyAfter.length, context).toBe(historyBefore.length);
      }
    }
  });
});
