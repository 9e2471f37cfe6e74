import { describe, expect, it } from "vitest";
import {
  baseUrl,
  demoEmail,
  expectNoPageErrors,
  landOn,
  logIn,
  mailedLink,
  menuLink,
  newPage,
  ownMembersPath,
  sharedBrowser,
  visible,
  visit,
} from "./support";

describe("Invitation d'un collègue", () => {
  const browser = sharedBrowser();

  it("l'admin de la MEL invite un collègue, qui accepte et arrive connecté sur l'accueil", async () => {
    const email = `camille.durand.${Date.now()}@mel.exemple.test`;
    const name = "Camille Durand";
    const password = "Flux-MEL-e2e-2024-solide";

    // 1. The MEL admin invites the colleague from "Mon organisation".
    const admin = await newPage(browser());
    await logIn(admin, demoEmail("admin", "mel"));
    const membersPath = await ownMembersPath(admin);
    await (await menuLink(admin, "Administration", "Mon organisation")).click();
    await landOn(admin, membersPath);

    const send = admin.getByRole("button", { name: "Envoyer l'invitation" });
    const form = admin.locator("form").filter({ has: send });
    await visible(form);
    await form.getByLabel("Adresse e-mail", { exact: true }).fill(email);
    await form.getByLabel("Gestionnaire", { exact: true }).check();
    await form.getByLabel("Lecteur", { exact: true }).check();
    await send.click();
    await visible(admin.getByText(/Invitation envoyée/i));

    // 2. The mail is in the outbox, with its accept link on this server.
    const link = await mailedLink(admin, email, "/invitation/");
    expect(link.startsWith(`${baseUrl()}/invitation/`)).toBe(true);

    // 3. The colleague, in a browser context of their own, accepts it.
    const colleague = await newPage(browser());
    await visit(colleague, link);
    await colleague.getByLabel("Prénom et nom", { exact: true }).fill(name);
    await colleague.getByLabel("Mot de passe", { exact: true }).fill(password);
    await colleague.getByLabel("Confirmation du mot de passe", { exact: true }).fill(password);
    await colleague.getByRole("button", { name: "Créer mon compte" }).click();
    await landOn(colleague, "/accueil");
    await visible(colleague.getByRole("heading", { name: `Bonjour ${name}` }));

    // Logged in for real: the API knows them, and they are a member of the MEL.
    const me = await colleague.request.get("/api/v1/me");
    expect(me.status()).toBe(200);
    expect(await me.text()).toContain(email);
    const unknown = await colleague.request.get("/api/v1/programmes/1/inconnu");
    expect(unknown.status()).toBe(404);
    expect((await unknown.json()).message).toContain("Point d'accès inconnu");
    expect(await ownMembersPath(colleague)).toBe(membersPath);

    // 4. The admin now sees the colleague among the members.
    await visit(admin, membersPath);
    await visible(admin.getByText(email));

    expectNoPageErrors(colleague);
    expectNoPageErrors(admin);
    await colleague.context().close();
    await admin.context().close();
  });
});
