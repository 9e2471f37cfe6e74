import { MEL_PUBLICS } from "~/domain/convention";
import { createConvention, signConvention } from "~/models/conventions.server";
import { actorOf, BASE_URL, createUser, organisation } from "./fixtures";

const PUBLICS = { ciaTargetsPct: 50, daloPct: 25, mbcPct: 0 };

/** A réservataire drafts a bilatérale with a bailleur (`rateBp`: its whole rate); returns it and a way to sign it. */
export async function draftBilaterale(
  reservataireSlug: string,
  bailleurSlug: string,
  rateBp: number,
  years: { startYear: number; endYear: number },
) {
  const reservataire = await organisation(reservataireSlug);
  const bailleur = await organisation(bailleurSlug);
  const drafter = await createUser(reservataireSlug, ["signataire"]);
  const created = await createConvention(
    await actorOf(drafter),
    {
      kind: "bilaterale",
      bailleurId: bailleur.id,
      ...years,
      rateBp,
      management: "direct",
      publics: reservataire.kind === "metropole" ? MEL_PUBLICS : PUBLICS,
    },
    BASE_URL,
  );
  const signBoth = async () => {
    await signConvention(await actorOf(drafter), created.id, BASE_URL);
    const other = await createUser(bailleurSlug, ["signataire"]);
    return signConvention(await actorOf(other), created.id, BASE_URL);
  };
  return { convention: created, signBoth };
}

/** A bilatérale drafted and signed by both parties: its rate is in force for each year of its period. */
export async function signBilaterale(
  reservataireSlug: string,
  bailleurSlug: string,
  rateBp: number,
  years: { startYear: number; endYear: number },
) {
  const { convention, signBoth } = await draftBilaterale(reservataireSlug, bailleurSlug, rateBp, years);
  await signBoth();
  return convention;
}
