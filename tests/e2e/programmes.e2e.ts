import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { demoEmail, expectNoPageErrors, launchBrowser, logIn, newPage, visible, visit } from "./support";

/** A bailleur declares a new programme in the browser; the MEL sees it in the semester view (004 art. 8). */
const NEXT_YEAR =
  Number(new Intl.DateTimeFormat("fr-FR", { year: "numeric", timeZone: "Europe/Paris" }).format(new Date())) +
  1;

async function as(browser: Browser, role: string, slug: string): Promise<Page> {
  const page = await newPage(browser);
  await logIn(page, demoEmail(role, slug));
  return page;
}

describe("Programmes neufs", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("un bailleur déclare un programme et la MEL le voit dans la vue semestrielle", async () => {
    const vilogia = await as(browser, "gestionnaire", "vilogia");
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

    const mel = await as(browser, "gestionnaire", "mel");
    await visit(mel, `/programmes/livraisons?year=${NEXT_YEAR}&half=1`);
    await visible(mel.getByRole("link", { name: "Résidence du Canal" }));
    await visible(mel.getByText(/1 programme\(s\), 6 logement\(s\)/));

    for (const page of [vilogia, mel]) {
      expectNoPageErrors(page);
      await page.context().close();
    }
  });
});
