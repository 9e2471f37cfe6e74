import type { Page } from "playwright-core";
import { describe, it } from "vitest";
import { confirm, expectNoPageErrors, logInAs, sharedBrowser, visible, visit } from "./support";

/**
 * A published assiette is frozen (DESIGN §3): CDC Habitat's forecast comes after the publication, the État corrects
 * Vilogia's column C, then publishes the rectificatif (version 2) with its reason; the MEL's letter to Vilogia is
 * replaced by a new one, which its signataire sends. A year no other browser test uses.
 */
const YEAR = 2024;

async function fillForecast(page: Page, values: Record<string, string>, scope = page.locator("body")) {
  for (const [column, value] of Object.entries(values))
    await scope.getByLabel(new RegExp(`^\\(${column}\\)`)).fill(value);
}

describe("Rectificatif de l'assiette", () => {
  const browser = sharedBrowser();

  it("une prévision tardive et une correction entrent dans la version 2 ; le courrier changé est remplacé", async () => {
    const vilogia = await logInAs(browser(), "signataire", "vilogia");
    await visit(vilogia, `/assiette/${YEAR}`);
    await fillForecast(vilogia, { A: "1500", B: "100", C: "50", D: "0", E: "0", F: "0", G: "0" });
    await vilogia.getByRole("button", { name: "Transmettre à l'État" }).click();
    await confirm(vilogia, "Confirmer");
    await visible(vilogia.getByText(`Prévision ${YEAR} transmise aux services de l'État.`));

    const etat = await logInAs(browser(), "gestionnaire", "etat");
    await visit(etat, `/assiette/${YEAR}`);
    await etat.getByRole("button", { name: "Publier l'assiette incomplète" }).click();
    await confirm(etat, "Confirmer");
    await visible(etat.getByText(`Assiette ${YEAR} publiée`));

    const melGestionnaire = await logInAs(browser(), "gestionnaire", "mel");
    await visit(melGestionnaire, `/avenants?year=${YEAR}`);
    await melGestionnaire.getByRole("button", { name: "Préparer les courriers" }).click();
    await visible(melGestionnaire.getByText(/^1 courrier\(s\) préparé\(s\)/));
    const melSignataire = await logInAs(browser(), "signataire", "mel");
    await visit(melSignataire, `/avenants?year=${YEAR}`);
    await melSignataire.getByRole("button", { name: "Envoyer le courrier à Vilogia" }).click();
    const sending = await visible(melSignataire.getByRole("alertdialog"));
    await sending.getByRole("button", { name: "Envoyer", exact: true }).click();
    await visible(melSignataire.getByText(/Courrier envoyé : sans réaction, il sera réputé accepté le/));

    // CDC Habitat's forecast after the publication: accepted into the next version, not refused.
    const cdc = await logInAs(browser(), "signataire", "cdc-habitat");
    await visit(cdc, `/assiette/${YEAR}`);
    await fillForecast(cdc, { A: "400", B: "20", C: "100", D: "0", E: "0", F: "0", G: "0" });
    await cdc.getByRole("button", { name: "Transmettre à l'État" }).click();
    await confirm(cdc, "Confirmer");
    await visible(cdc.getByText(/sera publiée dans le rectificatif \(version 2\)/).first());

    // The État corrects Vilogia's column C (H 1 450 → 1 400), then reviews the changes and publishes version 2.
    await visit(etat, `/assiette/${YEAR}`);
    await etat.getByText("Corriger", { exact: true }).click();
    await fillForecast(etat, { C: "100" }, etat.locator("details[open]"));
    await etat.getByRole("button", { name: "Corriger Vilogia" }).click();
    await visible(etat.getByText(/rectificatif \(version 2\)/).first());
    await visit(etat, `/assiette/${YEAR}`);
    await visible(etat.getByRole("heading", { name: "Changements depuis la version 1" }));
    await visible(etat.getByText("Ajoutée (prévision tardive)"));
    await visible(etat.getByText("C : 50 → 100"));
    await etat.getByRole("button", { name: "Publier le rectificatif (version 2)" }).click();
    const dialog = etat.getByRole("alertdialog");
    await visible(dialog);
    await dialog
      .getByLabel("Motif du rectificatif (obligatoire)")
      .fill("Prévision tardive de CDC Habitat ; colonne C de Vilogia corrigée.");
    await dialog.getByRole("button", { name: "Publier le rectificatif", exact: true }).click();
    await visible(etat.getByText(/Rectificatif publié : assiette de référence 2024, version 2/));
    await visible(etat.getByRole("link", { name: /version 1 \(publiée le/ }));

    // The MEL's letter to Vilogia is replaced; the new one, from version 2, is sent (a new two-month period).
    await visit(melSignataire, `/avenants?year=${YEAR}`);
    await visible(melSignataire.getByRole("heading", { name: /^Remplacé \(1\)/ }));
    await visible(melSignataire.getByRole("link", { name: "Remplacé par le nouveau courrier" }));
    await visible(melSignataire.getByText(`Assiette ${YEAR}, version 2`));
    await melSignataire.getByRole("button", { name: "Envoyer le courrier à Vilogia" }).click();
    const resending = await visible(melSignataire.getByRole("alertdialog"));
    await resending.getByRole("button", { name: "Envoyer", exact: true }).click();
    await visible(melSignataire.getByText(/Courrier envoyé : sans réaction, il sera réputé accepté le/));
    // Once the board has reloaded, the sent letter offers no « Envoyer » any more.
    await melSignataire
      .getByRole("button", { name: "Envoyer le courrier à Vilogia" })
      .waitFor({ state: "detached", timeout: 15_000 });

    for (const page of [vilogia, etat, melGestionnaire, melSignataire, cdc]) {
      expectNoPageErrors(page);
      await page.context().close();
    }
  });
});
