import { beforeAll, describe, expect, it } from "vitest";
import { type ORGANISATION_KINDS, ROLES } from "#db/schema";
import { asSubject } from "#policies/ability";
import type { SubjectName } from "#policies/rules";
import { type AttributionContingent, attributionPolicyRow } from "~/domain/attribution";
import type { Actor } from "~/lib/actor.server";
import { asHttpError } from "~/lib/http.server";
import { signalementSchema } from "~/lib/signalement-schemas";
import { listAttributions } from "~/models/attributions.server";
import { createSignalement, listSignalements } from "~/models/signalements.server";
import { insertAttributions } from "./helpers/attributions";
import { actorOf, BASE_URL, createUser, organisation } from "./helpers/fixtures";

// The list queries filter in SQL by hand (`visibility()` in the signalements and attributions models); the policy
// decides row by row. For every organisation kind and role, a list must return exactly the rows the policy lets the
// actor read (exports use the same list functions).

const ONE_OF_EACH_KIND: Record<(typeof ORGANISATION_KINDS)[number], string> = {
  metropole: "mel",
  etat: "etat",
  departement: "departement-nord",
  urh: "urh",
  action_logement: "action-logement",
  sicf: "sicf",
  bailleur: "vilogia",
  commune: "commune-59350",
};

type Row = { id: string; subject: Record<string, unknown> };
const orgId = async (slug: string) => (await organisation(slug)).id;

/** For every kind and role: the ids `list` returns among `rows` (or "refused" on its 403) against the policy's. */
async function expectListEqualsPolicy(
  subjectType: SubjectName,
  rows: Row[],
  list: (actor: Actor) => Promise<Array<{ id: string }>>,
) {
  for (const [kind, slug] of Object.entries(ONE_OF_EACH_KIND))
    for (const role of ROLES) {
      const actor = await actorOf(await createUser(slug, [role]));
      const readable = rows.filter((row) => actor.ability.can("read", asSubject(subjectType, row.subject)));
      const expected = actor.ability.can("read", subjectType)
        ? readable.map((row) => row.id).sort()
        : "refused";
      const got = await list(actor).then(
        (listed) => listed.map((r) => r.id).filter((id) => rows.some((row) => row.id === id)),
        (thrown) => {
          const error = asHttpError(thrown);
          if (error instanceof Response && error.status === 403) return "refused" as const;
          throw error;
        },
      );
      expect(got === "refused" ? got : got.sort(), `${subjectType}, ${kind} ${role}`).toEqual(expected);
    }
}

describe("list queries equal the policy", () => {
  const signalements: Row[] = [];
  const attributions: Row[] = [];

  beforeAll(async () => {
    // Two communes, each signalling to Vilogia alone, to another bailleur alone, and to both.
    for (const commune of ["commune-59350", "commune-59512"]) {
      const author = await actorOf(await createUser(commune, ["gestionnaire"]));
      for (const bailleurSlugs of [["vilogia"], ["partenord-habitat"], ["vilogia", "partenord-habitat"]]) {
        const input = signalementSchema.parse({
          numeroUnique: `0592501${String(20_000 + signalements.length).padStart(5, "0")}V`,
          adults: 1,
          children: 0,
          typology: "T2",
          communesWanted: ["59350"],
          publicCategory: "autre",
          urgency: "normal",
          reason: "Logement indigne.",
          bailleurSlugs,
        });
        const { id } = await createSignalement(author, input, { baseUrl: BASE_URL });
        const bailleurs = await Promise.all(bailleurSlugs.map(orgId));
        // The policy's subject, as policies/rules.ts documents it: its commune and its addressed bailleurs.
        signalements.push({ id, subject: { partyIds: [author.organisation.id, ...bailleurs] } });
      }
    }

    // Attributions on every kind of contingent, in two communes, for two bailleurs.
    const on: Array<
      [bailleur: string, contingent: AttributionContingent, reservataire: string | null, insee: string]
    > = [
      ["vilogia", "mel", "mel", "59350"],
      ["vilogia", "mel", "mel", "59512"],
      ["vilogia", "commune", "commune-59350", "59350"],
      ["partenord-habitat", "commune", "commune-59512", "59512"],
      ["partenord-habitat", "etat", "etat", "59512"],
      ["partenord-habitat", "etat_agents", "etat", "59350"],
      ["vilogia", "action_logement", "action-logement", "59350"],
      ["partenord-habitat", "departement", "departement-nord", "59350"],
      ["vilogia", "sicf", "sicf", "59512"],
      ["vilogia", "none", null, "59350"],
    ];
    for (const [bailleur, contingent, reservataire, insee] of on) {
      const row = {
        bailleurId: await orgId(bailleur),
        contingent,
        reservataireId: reservataire ? await orgId(reservataire) : null,
        communeInsee: insee,
      };
      const [inserted] = await insertAttributions([row]);
      const subject = attributionPolicyRow({
        ...row,
        communeOrganisationId: await orgId(`commune-${insee}`),
      });
      attributions.push({ id: inserted!.id, subject });
    }
  });

  it("signalements: the board, the API and the exports (visibility) list what the policy lets read", async () => {
    expect(signalements).toHaveLength(6);
    await expectListEqualsPolicy("Signalement", signalements, (actor) =>
      listSignalements(actor, {}, { limit: 10_000 }),
    );
  });

  it("attributions: the list and the API (visibility) list what the policy lets read", async () => {
    expect(attributions).toHaveLength(10);
    await expectListEqualsPolicy("Attribution", attributions, (actor) =>
      listAttributions(actor, {}, { via: "api", limit: 1000 }).then((page) => page.attributions),
    );
  });
});
