import { beforeAll, describe, expect, it } from "vitest";
import { type ORGANISATION_KINDS, ROLES } from "#db/schema";
import { asSubject } from "#policies/ability";
import type { Actor } from "~/lib/actor.server";
import { signalementSchema } from "~/lib/signalement-schemas";
import { createSignalement, listSignalements } from "~/models/signalements.server";
import { actorOf, BASE_URL, createUser, organisation } from "./helpers/fixtures";

// The list queries filter in SQL by hand (`visibility()` in the signalements model); the policy decides row by row.
// For every organisation kind and role, the list must return exactly the rows the policy lets the actor read.

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

type Row = { id: string; partyIds: string[] };
const rows: Row[] = [];

beforeAll(async () => {
  // Two communes, each signalling to Vilogia alone, to another bailleur alone, and to both.
  for (const commune of ["commune-59350", "commune-59512"]) {
    const author = await actorOf(await createUser(commune, ["gestionnaire"]));
    for (const bailleurSlugs of [["vilogia"], ["partenord-habitat"], ["vilogia", "partenord-habitat"]]) {
      const input = signalementSchema.parse({
        numeroUnique: `0592501${String(20_000 + rows.length).padStart(5, "0")}V`,
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
      const bailleurs = await Promise.all(bailleurSlugs.map(async (slug) => (await organisation(slug)).id));
      // The policy's subject, as policies/rules.ts documents it: its commune and its addressed bailleurs.
      rows.push({ id, partyIds: [author.organisation.id, ...bailleurs] });
    }
  }
});

/** The ids the list returns among ours, or "refused" when the list answers 403. */
async function listed(actor: Actor): Promise<string[] | "refused"> {
  try {
    const all = await listSignalements(actor, {}, { limit: 10_000 });
    return all.map((r) => r.id).filter((id) => rows.some((row) => row.id === id));
  } catch (error) {
    if (error instanceof Response && error.status === 403) return "refused";
    throw error;
  }
}

describe("the signalements list and export query (visibility) equal the policy", () => {
  it("returns, for every organisation kind and role, exactly the rows the policy lets it read", async () => {
    expect(rows).toHaveLength(6);
    for (const [kind, slug] of Object.entries(ONE_OF_EACH_KIND))
      for (const role of ROLES) {
        const actor = await actorOf(await createUser(slug, [role]));
        const readable = rows
          .filter((row) => actor.ability.can("read", asSubject("Signalement", row)))
          .map((row) => row.id);
        const expected = actor.ability.can("read", "Signalement") ? readable.sort() : "refused";
        const got = await listed(actor);
        expect(got === "refused" ? got : got.sort(), `${kind} ${role}`).toEqual(expected);
      }
  });
});
