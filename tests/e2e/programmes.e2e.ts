import { describe, it } from "vitest";
import { parisYear } from "../../app/lib/dates";
import { expectNoPageErrors, logInAs, sharedBrowser, visible, visit } from "./support";

/** A bailleur declares a new programme in the browser; the MEL sees it in the semester view (004 art. 8). */
const NEXT_YEAR = parisYear() + 1;

describe("Programmes neufs", () => {
  const browser = sharedBrowser();

  it("un bailleur déclare un programme et la MEL le voit dans la vue semestrielle", async () => {
    const vilogia = await logInAs(browser(), "gestionnaire", "vilogia");
    await visit(vilogia, "/programmes");
    await vilogia.getByLabel("Commune").click();
    await vilogia.getByPlaceholder("Nom ou code INSEE…").fill("59350");
    await vilogia.getByRole("option", { name: "Lille (59350)" }).click();
    await vilogia.getByLabel("Nom du programme").fill("Résidence du Canal");
    await vilogia.getByLabel("Adresse").fill("3 quai de la Basse-Deûle, Lille");
    await vilogia.getByLabel("Date de première mise en location").fill(`${NEXT_YEAR}-05-20`);
    await vilogia.getByLabel("Typologie").selectOption("T4");
    await vilogia.getByLabel("Financement").selectOption("plai");
    await vilogia.getByLabel("Nombre").fill("6");
    await vilogia.getByRole("button", { name: "Enregistrer le programme" }).click();
    await visible(vilogia.getByRole("heading", { name: "Résidence du Canal" }));
    await visible(vilogia.getByText("Proposition de répartition", { exact: false }));

    const mel = await logInAs(browser(), "gestionnaire", "mel");
    await visit(mel, `/programmes/livraisons?year=${NEXT_YEAR}&half=1`);
    await visible(mel.getByRole("link", { name: "Résidence du Canal" }));
    await visible(mel.getByText(/1 programme\(s\), 6 logement\(s\)/));

    for (const page of [vilogia, mel]) {
      expectNoPageErrors(page);
      await page.context().close();
    }
  });
});
