import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectNoPageErrors, landOn, newPage, sharedBrowser, visible, visit } from "./support";

/**
 * Sign-in with ProConnect against the local OpenID provider that global-setup.ts starts (its accounts are listed
 * there): the real code flow, through the provider's own sign-in and consent pages.
 */
describe("Connexion avec ProConnect", () => {
  const browser = sharedBrowser();

  /** From /connexion to the provider's sign-in form. */
  async function leaveForProvider(page: Page, from = "/connexion") {
    await visit(page, from);
    await page.getByRole("link", { name: "S'identifier avec ProConnect" }).click();
    await visible(page.locator("input[name=login]"));
  }

  /** Signs in at the provider as `email` and consents; the browser then goes back to the portal. */
  async function signInAtProvider(page: Page, email: string) {
    await page.locator("input[name=login]").fill(email);
    await page.locator("input[name=password]").fill("mot de passe du fournisseur");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
  }

  /** The portal's answer to a refused sign-in: the reason, with the way back to the login page. */
  async function refusal(page: Page) {
    await landOn(page, "/connexion/proconnect/retour");
    await visible(page.getByRole("heading", { name: "Connexion avec ProConnect" }));
    await visible(page.getByRole("link", { name: "Revenir à la page de connexion" }));
    expect(await page.context().cookies()).not.toContainEqual(
      expect.objectContaining({ name: "flux_session" }),
    );
    return (await page.getByRole("alert").textContent()) ?? "";
  }

  it("un membre est connecté par son adresse vérifiée, et arrive sur la page demandée", async () => {
    const page = await newPage(browser());
    await visit(page, "/calendrier");
    await landOn(page, "/connexion");
    await leaveForProvider(page, `/connexion${new URL(page.url()).search}`);
    await signInAtProvider(page, "signataire@lille-metropole-habitat.demo.test");
    await landOn(page, "/calendrier");
    await visible(page.getByRole("navigation", { name: "Navigation principale" }));
    expect(await page.context().cookies()).toContainEqual(expect.objectContaining({ name: "flux_session" }));
    expectNoPageErrors(page);
    await page.context().close();
  });

  it("une adresse qui n'est celle d'aucun membre est refusée, sans compte créé", async () => {
    const page = await newPage(browser());
    await leaveForProvider(page);
    await signInAtProvider(page, "agent@inconnu.gouv.fr");
    expect(await refusal(page)).toContain("Aucun membre du portail n'a l'adresse agent@inconnu.gouv.fr");
    // Nothing was opened: the portal still asks for a login.
    await visit(page, "/accueil");
    await landOn(page, "/connexion");
    expectNoPageErrors(page);
    await page.context().close();
  });

  it("l'adresse d'un membre que le fournisseur n'a pas vérifiée est refusée", async () => {
    const page = await newPage(browser());
    await leaveForProvider(page);
    await signInAtProvider(page, "lecteur@mel.demo.test");
    expect(await refusal(page)).toContain("ProConnect n'a pas vérifié votre adresse e-mail");
    expectNoPageErrors(page);
    await page.context().close();
  });

  it("une réponse qui n'est pas celle de la connexion commencée par ce navigateur (state) est refusée", async () => {
    const first = await newPage(browser());
    await leaveForProvider(first);
    // A second sign-in started in the same browser replaces the first one's state: the first answer no longer fits.
    const second = await first.context().newPage();
    await leaveForProvider(second);
    await second.close();
    await signInAtProvider(first, "signataire@lille-metropole-habitat.demo.test");
    expect(await refusal(first)).toContain("ne correspond pas à la connexion commencée");
    expectNoPageErrors(first);
    await first.context().close();
  });
});
