import { describe, it } from "vitest";
import { parisYear } from "../../app/lib/dates";
import { confirm, expectNoPageErrors, logInAs, sharedBrowser, visible, visit } from "./support";

/**
 * The yearly cycle in the browser: Vilogia submits its forecast, the État publishes the (incomplete) assiette,
 * the MEL prepares its letters and sends them all in one action, Vilogia's signataire contests the rate with a
 * reason, the MEL's signataire maintains it with a written reply, Vilogia reads the thread and accepts: the board
 * shows who accepted and when. Every irreversible step is confirmed in a dialog.
 */
const YEAR = parisYear();

describe("Courriers valant avenant", () => {
  const browser = sharedBrowser();

  it("un bailleur conteste le taux, le réservataire répond, le bailleur accepte : qui et quand s'affichent", async () => {
    const vilogia = await logInAs(browser(), "signataire", "vilogia");
    await visit(vilogia, `/assiette/${YEAR}`);
    const values: Record<string, string> = { A: "1450", B: "100", C: "50", D: "0", E: "0", F: "0", G: "0" };
    for (const [column, value] of Object.entries(values))
      await vilogia.getByLabel(new RegExp(`^\\(${column}\\)`)).fill(value);
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
    await melSignataire.getByRole("button", { name: "Envoyer les 1 brouillon(s)" }).click();
    await confirm(melSignataire, "Envoyer 1 courrier(s)");
    await visible(melSignataire.getByText("1 courrier(s) envoyé(s)."));

    await visit(vilogia, `/avenants?year=${YEAR}`);
    await visible(vilogia.getByText(/J − \d+/));
    await visible(vilogia.getByText(/Délai expirant le \S+ (1er|\d+) \S+ \d{4} à 24 h \(heure de Paris\)/));
    await vilogia.getByText("Contester…").click();
    await vilogia.getByLabel("le taux", { exact: true }).check();
    const reason = "Le taux ne tient pas compte de l'avenant signé en début d'année.";
    await vilogia.getByLabel("Motif de la contestation").fill(reason);
    await vilogia.getByRole("button", { name: "Contester", exact: true }).click();
    await confirm(vilogia, "Envoyer la contestation");
    await visible(vilogia.getByText("Contestation envoyée."));

    await visit(melSignataire, `/avenants?year=${YEAR}`);
    await visible(melSignataire.getByRole("heading", { name: /^Contesté/ }));
    await visible(melSignataire.getByText(reason, { exact: false }));
    await melSignataire.getByText("Maintenir le taux…").click();
    const reply = "Le taux de 20 % est celui de la convention cadre, sans avenant signé par la MEL.";
    await melSignataire.getByLabel("Réponse au bailleur : motif du maintien").fill(reply);
    await melSignataire.getByRole("button", { name: "Maintenir le courrier à Vilogia" }).click();
    await confirm(melSignataire, "Maintenir et envoyer la réponse");
    await visible(melSignataire.getByText(/^Courrier maintenu et renvoyé/));

    await visit(vilogia, `/avenants?year=${YEAR}`);
    await visible(vilogia.getByText(reply, { exact: false }));
    await vilogia
      .getByRole("button", { name: "Accepter le courrier de Métropole Européenne de Lille" })
      .click();
    await confirm(vilogia, "Accepter");
    await visible(vilogia.getByText("Courrier accepté : le réservataire est informé."));
    await visible(vilogia.getByText(/^Accepté le (1er|\d+) \S+ \d{4} à \d\d:\d\d par .+ \(Vilogia\)$/));

    await visit(melSignataire, `/avenants?year=${YEAR}`);
    await visible(melSignataire.getByText(/^Accepté le (1er|\d+) \S+ \d{4} à \d\d:\d\d par .+ \(Vilogia\)$/));

    for (const page of [vilogia, etat, melGestionnaire, melSignataire]) {
      expectNoPageErrors(page);
      await page.context().close();
    }
  });
});
