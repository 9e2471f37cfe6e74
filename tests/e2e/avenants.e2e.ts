import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoPageErrors, launchBrowser, logInAs, visible, visit } from "./support";

/**
 * The yearly cycle in the browser: Vilogia submits its forecast, the État publishes the (incomplete) assiette,
 * the MEL prepares and sends its letters, Vilogia's signataire contests one with a reason, the MEL sees it.
 */
const YEAR = new Intl.DateTimeFormat("fr-FR", { year: "numeric", timeZone: "Europe/Paris" }).format(
  new Date(),
);

describe("Courriers valant avenant", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("un signataire de bailleur conteste un courrier et le réservataire voit le motif", async () => {
    const vilogia = await logInAs(browser, "signataire", "vilogia");
    await visit(vilogia, `/assiette/${YEAR}`);
    const values: Record<string, string> = { A: "1450", B: "100", C: "50", D: "0", E: "0", F: "0", G: "0" };
    for (const [column, value] of Object.entries(values))
      await vilogia.getByLabel(new RegExp(`^\\(${column}\\)`)).fill(value);
    await vilogia.getByRole("button", { name: "Transmettre à l'État" }).click();
    await visible(vilogia.getByText(`Prévision ${YEAR} transmise aux services de l'État.`));

    const etat = await logInAs(browser, "gestionnaire", "etat");
    await visit(etat, `/assiette/${YEAR}`);
    await etat.getByRole("button", { name: "Publier l'assiette incomplète" }).click();
    await visible(etat.getByText(`Assiette ${YEAR} publiée`));

    const melGestionnaire = await logInAs(browser, "gestionnaire", "mel");
    await visit(melGestionnaire, `/avenants?annee=${YEAR}`);
    await melGestionnaire.getByRole("button", { name: "Préparer les courriers" }).click();
    await visible(melGestionnaire.getByText(/^1 courrier\(s\) préparé\(s\)/));

    const melSignataire = await logInAs(browser, "signataire", "mel");
    await visit(melSignataire, `/avenants?annee=${YEAR}`);
    await melSignataire.getByRole("button", { name: "Envoyer le courrier à Vilogia" }).click();
    await visible(melSignataire.getByText(/Courrier envoyé : réputé accepté le/));

    await visit(vilogia, `/avenants?annee=${YEAR}`);
    await visible(vilogia.getByText(/J − \d+/));
    await vilogia.getByText("Contester…").click();
    const reason = "Les relogements NPNRU de la résidence du Parc ne sont pas déduits.";
    await vilogia.getByLabel("Motif de la contestation").fill(reason);
    await vilogia.getByRole("button", { name: "Contester", exact: true }).click();
    await visible(vilogia.getByText("Contestation envoyée au réservataire."));

    await visit(melSignataire, `/avenants?annee=${YEAR}`);
    await visible(melSignataire.getByRole("heading", { name: /^Contesté/ }));
    await visible(melSignataire.getByText(reason));
    expect(
      await melSignataire
        .getByRole("button", { name: "Maintenir et renvoyer le courrier à Vilogia" })
        .count(),
    ).toBe(1);

    for (const page of [vilogia, etat, melGestionnaire, melSignataire]) {
      expectNoPageErrors(page);
      await page.context().close();
    }
  });
});
