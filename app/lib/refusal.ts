import type { Role } from "#db/schema";
import { punctuate } from "./french";
import { ROLE_LABELS } from "./validation";

/**
 * What the 403 page adds to a refusal: the role the action needs in the user's organisation and who holds it
 * (« Cette action demande le rôle signataire. Dans votre organisation : Jeanne Dupont. »). Null when every role
 * would do (the refusal is about the resource, not the role).
 */
export function refusalExplanation(roles: Role[] | "any", members: string[]): string | null {
  if (roles === "any") return null;
  if (roles.length === 0)
    return "Cette action n'est ouverte à aucun rôle dans une organisation comme la vôtre.";
  const labels = roles.map((r) => ROLE_LABELS[r].toLowerCase());
  const needed =
    labels.length === 1
      ? `le rôle ${labels[0]}`
      : `l'un des rôles ${labels.slice(0, -1).join(", ")} ou ${labels.at(-1)}`;
  const who = members.length
    ? `Dans votre organisation : ${members.join(", ")}.`
    : "Personne n'a ce rôle dans votre organisation : un administrateur peut le donner.";
  return punctuate(`Cette action demande ${needed}. ${who}`);
}
