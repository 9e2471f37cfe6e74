import { describe, expect, it } from "vitest";
import { rolesGranting } from "#policies/ability";
import { refusalExplanation } from "~/lib/refusal";
import { whoMayDo } from "~/models/members.server";
import { loader as platformLoader } from "~/routes/_app.plateforme.organisations";
import { loader } from "~/routes/roles-requis";
import { actorOf, createUser, requestAs } from "./helpers/fixtures";

describe("a refusal names the role needed and who holds it", () => {
  it("reads the roles from the permission table, for the organisation's kind", () => {
    expect(rolesGranting("bailleur", "create", "AvenantAnswer")).toEqual(["signataire"]);
    expect(rolesGranting("metropole", "create", "AvenantAnswer")).toEqual([]);
    expect(rolesGranting("bailleur", "read", "Organisation")).toBe("any");
    expect(new Set(rolesGranting("metropole", "create", "CribCase"))).toEqual(
      new Set(["gestionnaire", "admin"]),
    );
  });

  it("says it in French, with the non-breaking space before the colon", () => {
    expect(refusalExplanation(["signataire"], ["Jeanne Dupont", "Paul Martin"])).toBe(
      "Cette action demande le rôle signataire. Dans votre organisation\u00a0: Jeanne Dupont, Paul Martin.",
    );
    expect(refusalExplanation(["gestionnaire", "signataire"], [])).toBe(
      "Cette action demande l'un des rôles gestionnaire ou signataire. Personne n'a ce rôle dans votre organisation\u00a0: un administrateur peut le donner.",
    );
    expect(refusalExplanation("any", [])).toBeNull();
  });

  it("lists the active members of the actor's own organisation holding the role, never another's", async () => {
    const gestionnaire = await createUser("partenord-habitat", ["gestionnaire"], { name: "Zoé Gestion" });
    await createUser("partenord-habitat", ["signataire"], { name: "Jeanne Dupont" });
    await createUser("vilogia", ["signataire"], { name: "Autre Signataire" });
    const { roles, members } = await whoMayDo(await actorOf(gestionnaire), "create", "AvenantAnswer");
    expect(roles).toEqual(["signataire"]);
    expect(members).toContain("Jeanne Dupont");
    expect(members).not.toContain("Autre Signataire");
    expect(members).not.toContain("Zoé Gestion");

    const asked = (query: string) =>
      requestAs(gestionnaire, `/roles-requis?${query}`).then((request) =>
        loader({ request, params: {}, context: {} }),
      );
    expect((await asked("action=create&sujet=AvenantAnswer")).explanation).toMatch(
      /^Cette action demande le rôle signataire\. Dans votre organisation\u00a0: .*Jeanne Dupont/,
    );
    await expect(asked("action=fly&sujet=AvenantAnswer")).rejects.toMatchObject({ status: 400 });
  });

  it("a page refused by the policy answers 403 with what was refused, for the error page to ask who may", async () => {
    const admin = await createUser("partenord-habitat", ["admin"]);
    const refused = await platformLoader({
      request: await requestAs(admin, "/plateforme/organisations"),
      params: {},
      context: {},
    }).catch((thrown: unknown) => thrown);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(403);
    expect(await (refused as Response).json()).toEqual({
      message: "L'administration de la plateforme est réservée aux administrateurs de la MEL.",
      required: { action: "create", subject: "Organisation" },
    });
  });
});
