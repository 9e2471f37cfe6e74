import { asSubject } from "#policies/ability";
import { ensureCan, ensureCanOn } from "#policies/guard.server";
import type { Actor } from "~/lib/actor.server";
import { auditActorOf } from "~/lib/actor.server";
import type { BilateralInput, ConventionInput } from "~/lib/convention-schemas";
import { forbidden } from "~/lib/http.server";
import { uuidParam } from "~/lib/route-params.server";
import {
  createBilaterale,
  createCadre,
  createCommuneShare,
  createDepartementActivation,
  getConvention,
  signConvention,
  updateBilaterale,
} from "~/models/conventions.server";

/**
 * The policy checks and calls of the conventions' writes, shared by the API and the pages: the policy decides who
 * may (404 for a convention the actor may not read, 403 for a step their role or side does not allow).
 */

/** A convention the actor may read (else 404). */
export async function readableConvention(actor: Actor, rawId: string | undefined) {
  const found = await getConvention(uuidParam(rawId, "Cette convention"));
  ensureCanOn(actor.ability, "read", "Convention", found?.subject, "Cette convention");
  return found!;
}

const ownRow = (actor: Actor) => ({
  organisationId: actor.organisation.id,
  partyIds: [actor.organisation.id],
  published: false,
});

/** Creates a bilatérale (a réservataire) or the cadre (the MEL) from an input already parsed. */
export async function createConvention(actor: Actor, input: ConventionInput, baseUrl: string) {
  const who = auditActorOf(actor);
  if (input.kind === "cadre") {
    ensureCan(actor.ability, "create", "ConventionCadre", "Seule la MEL enregistre la convention cadre.");
    return createCadre(who, { mel: actor.organisation, ...input, baseUrl });
  }
  if (input.kind === "activation_departement" || input.kind === "part_communale") {
    // An avenant to the cadre, or a share of the MEL's own contingent: the MEL drafts them (004 l.178, 188–192).
    ensureCan(
      actor.ability,
      "create",
      "ConventionCadre",
      "Seule la MEL établit les avenants à la convention cadre et les parts communales.",
    );
    return input.kind === "activation_departement"
      ? createDepartementActivation(who, { mel: actor.organisation, ...input, baseUrl })
      : createCommuneShare(who, { mel: actor.organisation, ...input, baseUrl });
  }
  ensureCan(actor.ability, "create", "Convention", "Seul un réservataire établit une convention bilatérale.");
  ensureCanOn(actor.ability, "create", "Convention", ownRow(actor));
  return createBilaterale(who, { ...input, reservataire: actor.organisation, baseUrl });
}

/** Changes a draft bilatérale (its drafter only; 409 once signed). */
export async function editConvention(actor: Actor, rawId: string | undefined, input: BilateralInput) {
  const found = await readableConvention(actor, rawId);
  ensureCanOn(actor.ability, "update", "Convention", found.subject, "Cette convention");
  return updateBilaterale(auditActorOf(actor), {
    ...input,
    id: found.row.id,
    reservataire: actor.organisation,
  });
}

/** The actor's organisation signs (its signataire only). */
export async function signAs(actor: Actor, rawId: string | undefined, baseUrl: string) {
  const found = await readableConvention(actor, rawId);
  if (!actor.ability.can("create", asSubject("ConventionSignature", found.subject)))
    throw forbidden("Seul le signataire d'une partie signe cette convention.");
  return signConvention(auditActorOf(actor), { id: found.row.id, baseUrl });
}
