import type { Page } from "playwright-core";
import { describe, it } from "vitest";
import {
  confirm,
  expectAccessible,
  expectNoPageErrors,
  logInAs,
  sharedBrowser,
  visible,
  visit,
} from "./support";

/**
 * Conventions drafted by one party and signed by every party (DESIGN §3: a rate comes from a document both sides
 * signed): Action Logement's bilatérale with Promocil, then the MEL's share for Lille on Tisserin Habitat, signed by
 * the commune, the bailleur and the MEL. Years and bailleurs no other browser test uses.
 */

/** Signs on the convention's page (confirmed in the dialog) and waits for the answer. */
async function sign(page: Page, path: string, answer: RegExp) {
  await visit(page, path);
  await page.getByRole("button", { name: "Signer au nom de mon organisation" }).click();
  await confirm(page, "Confirmer");
  await visible(page.getByText(answer));
}

describe("Conventions", () => {
  const browser = sharedBrowser();

  it("une convention bilatérale établie par le réservataire, signée par les deux parties, donne le taux de l'année", async () => {
    const alsGestionnaire = await logInAs(browser(), "gestionnaire", "action-logement");
    await visit(alsGestionnaire, "/conventions");
    await alsGestionnaire.getByRole("link", { name: "Établir une convention bilatérale" }).click();
    await visible(alsGestionnaire.getByRole("heading", { name: "Établir une convention bilatérale" }));
    await expectAccessible(alsGestionnaire);
    await alsGestionnaire.getByLabel("Bailleur", { exact: true }).selectOption({ label: "Promocil" });
    await alsGestionnaire.getByLabel("Première année").fill("2029");
    await alsGestionnaire.getByLabel("Dernière année").fill("2030");
    await alsGestionnaire.getByLabel("Taux de réservation (%)").fill("10");
    await alsGestionnaire.getByLabel("Publics cibles de la CIA").fill("40");
    await alsGestionnaire.getByLabel("dont DALO-PDALHPD labellisées").fill("25");
    await alsGestionnaire.getByLabel("dont mutations bloquées/complexes labellisées").fill("5");
    await alsGestionnaire.getByRole("button", { name: "Enregistrer le projet" }).click();
    await alsGestionnaire.waitForURL(/\/conventions\/[0-9a-f-]{36}$/);
    const path = new URL(alsGestionnaire.url()).pathname;
    await visible(alsGestionnaire.getByText("Taux de réservation : 10 % du flux annuel."));
    await expectAccessible(alsGestionnaire);

    const alsSignataire = await logInAs(browser(), "signataire", "action-logement");
    await sign(alsSignataire, path, /Signature enregistrée : les autres parties sont informées/);
    const promocil = await logInAs(browser(), "signataire", "promocil");
    await sign(promocil, path, /Convention signée par toutes les parties : elle est désormais figée/);

    // The signed rate is the year's, with the convention it comes from (« Taux signés »).
    await visit(alsSignataire, "/taux-negocies?year=2029");
    const row = alsSignataire
      .getByRole("row")
      .filter({ hasText: "Promocil" })
      .filter({ hasText: /10\s?%/ });
    await visible(row.locator(`a[href="${path}"]`));
    await expectAccessible(alsSignataire);

    for (const page of [alsGestionnaire, alsSignataire, promocil]) {
      expectNoPageErrors(page);
      await page.context().close();
    }
  });

  it("la part communale de Lille sur Tisserin Habitat : refusée au-delà des 20 % de la MEL, puis signée par les trois", async () => {
    const mel = await logInAs(browser(), "gestionnaire", "mel");
    await visit(mel, "/conventions");
    await mel.getByRole("link", { name: "Établir une part communale" }).click();
    await visible(mel.getByRole("heading", { name: "Établir une part communale" }));
    await expectAccessible(mel);
    // The form's own check first (react-hook-form with the API's schema), then the ceiling, checked by the server.
    await mel.getByRole("button", { name: "Enregistrer le projet" }).click();
    await visible(mel.getByText("Choisissez le bailleur (bailleurId)."));
    await mel.getByLabel("Bailleur", { exact: true }).selectOption({ label: "Tisserin Habitat" });
    await mel.getByLabel("Commune garante").selectOption({ label: "Lille" });
    await mel.getByLabel("Première année").fill("2029");
    await mel.getByLabel("Dernière année").fill("2030");
    await mel.getByLabel("Part du flux annuel (%)").fill("21");
    await mel.getByRole("button", { name: "Enregistrer le projet" }).click();
    await visible(mel.getByText(/les collectivités feraient ensemble 21 %/));
    await expectAccessible(mel);
    await mel.getByLabel("Part du flux annuel (%)").fill("3");
    await mel.getByRole("button", { name: "Enregistrer le projet" }).click();
    await mel.waitForURL(/\/conventions\/[0-9a-f-]{36}$/);
    const path = new URL(mel.url()).pathname;
    await visible(mel.getByText(/Part communale : 3 % du flux annuel de Tisserin Habitat/));

    const lille = await logInAs(browser(), "signataire", "commune-59350");
    await sign(lille, path, /Signature enregistrée/);
    const tisserin = await logInAs(browser(), "signataire", "tisserin-habitat");
    await sign(tisserin, path, /Signature enregistrée/);
    const melSignataire = await logInAs(browser(), "signataire", "mel");
    await sign(melSignataire, path, /Convention signée par toutes les parties/);

    for (const page of [mel, lille, tisserin, melSignataire]) {
      expectNoPageErrors(page);
      await page.context().close();
    }
  });
});
